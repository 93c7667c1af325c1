"""Recognition and contributions on the profile page, and the full contributions page."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kizuna.content.models import ContentStatus, PostType
from kizuna.content.tests.factories import AnswerFactory, PostFactory
from kizuna.customers.tests.factories import make_customer
from kizuna.directory.tests.helpers import give_points
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import MemberFactory, StaffFactory
from kizuna.spaces.models import AccessType
from kizuna.spaces.tests.factories import MembershipFactory, SpaceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def profile_url(member: Member) -> str:
    return reverse("identity:member-profile", args=[member.pk])


def contributions_url(member: Member) -> str:
    return reverse("directory:member-contributions", args=[member.pk])


@pytest.fixture
def author() -> Member:
    member = MemberFactory(display_name="Author")
    give_points(member, 120)
    return member


def test_everyone_sees_level_and_lifetime_points(client: Client, author: Member) -> None:
    client.force_login(MemberFactory())

    content = client.get(profile_url(author)).content.decode()

    assert "Silver" in content
    assert '<strong class="recognition-points">120</strong>' in content


def test_only_the_member_sees_progress_to_the_next_level(client: Client, author: Member) -> None:
    client.force_login(MemberFactory())
    assert "more points to reach" not in client.get(profile_url(author)).content.decode()

    client.force_login(author)
    content = client.get(profile_url(author)).content.decode()
    assert "380 more points to reach Gold." in content
    assert 'aria-valuenow="5"' in content  # 20 of the 400 points from Silver to Gold


def test_points_history_for_the_member_and_staff_not_for_other_members(
    client: Client, author: Member
) -> None:
    client.force_login(MemberFactory())
    assert "Points history" not in client.get(profile_url(author)).content.decode()

    client.force_login(StaffFactory(staff_role="csm"))
    staff_view = client.get(profile_url(author)).content.decode()
    assert "Points history" in staff_view and "+120" in staff_view

    client.force_login(author)
    own_view = client.get(profile_url(author)).content.decode()
    assert "+120" in own_view
    assert reverse("gamification:my-recognition") in own_view


def test_contributions_show_questions_answers_and_case_studies(
    client: Client, author: Member
) -> None:
    space = SpaceFactory()
    PostFactory(space=space, author=author, title="Question title")
    PostFactory(space=space, author=author, title="Case title", post_type=PostType.CASE_STUDY)
    answer = AnswerFactory(post=PostFactory(space=space, title="Someone's question"), author=author)
    client.force_login(MemberFactory())

    content = client.get(profile_url(author)).content.decode()

    assert "Question title" in content and "Case title" in content
    assert "Answer to “Someone&#x27;s question”" in content
    assert f"#answer-{answer.pk}" in content


def test_private_space_posts_never_reach_a_viewer_outside_the_space(
    client: Client, author: Member
) -> None:
    private = SpaceFactory(access_type=AccessType.PRIVATE)
    MembershipFactory(space=private, member=author)
    PostFactory(space=private, author=author, title="Private question")
    AnswerFactory(post=PostFactory(space=private, title="Private thread"), author=author)
    PostFactory(space=SpaceFactory(), author=author, title="Open question")
    outsider = MemberFactory()
    insider = make_customer()  # private spaces are for customers

    for url in (profile_url(author), contributions_url(author)):
        client.force_login(outsider)
        outside_view = client.get(url).content.decode()
        assert "Open question" in outside_view
        assert "Private question" not in outside_view and "Private thread" not in outside_view
        client.logout()
        anonymous_view = client.get(url).content.decode()
        assert "Private question" not in anonymous_view and "Private thread" not in anonymous_view
        client.force_login(insider)
        inside_view = client.get(url).content.decode()
        assert "Private question" in inside_view and "Private thread" in inside_view


def test_held_and_deleted_contributions_are_not_shown_to_others(
    client: Client, author: Member
) -> None:
    space = SpaceFactory()
    PostFactory(space=space, author=author, title="Held post", status=ContentStatus.HELD)
    PostFactory(space=space, author=author, title="Deleted post", status=ContentStatus.DELETED)
    AnswerFactory(
        post=PostFactory(space=space, title="Thread"), author=author, status=ContentStatus.HELD
    )
    client.force_login(MemberFactory())
    content = client.get(contributions_url(author)).content.decode()
    assert "Held post" not in content and "Deleted post" not in content
    assert "Thread" not in content

    client.force_login(author)
    own = client.get(contributions_url(author)).content.decode()
    assert "Held post" in own and "Thread" in own
    assert "Deleted post" not in own


def test_profile_shows_five_latest_and_links_to_all(client: Client, author: Member) -> None:
    space = SpaceFactory()
    for number in range(6):
        PostFactory(space=space, author=author, title=f"Post {number}")
    client.force_login(MemberFactory())

    response = client.get(profile_url(author))

    content = response.content.decode()
    assert "Post 5" in content and "Post 1" in content and "Post 0" not in content
    assert contributions_url(author) in content


def test_contributions_page_is_paginated_newest_first(client: Client, author: Member) -> None:
    space = SpaceFactory()
    for number in range(27):
        PostFactory(space=space, author=author, title=f"Post {number:02}")
    client.force_login(MemberFactory())

    first = client.get(contributions_url(author))
    second = client.get(contributions_url(author), {"page": 2})

    assert [row["post_title"] for row in first.context["page"].object_list][:2] == [
        "Post 26",
        "Post 25",
    ]
    assert [row["post_title"] for row in second.context["page"].object_list] == [
        "Post 01",
        "Post 00",
    ]
    assert client.get(contributions_url(author), {"page": "x"}).status_code == 200


def test_no_contributions_empty_state(client: Client, author: Member) -> None:
    client.force_login(MemberFactory())
    content = client.get(contributions_url(author)).content.decode()
    assert "No questions, answers or case studies to show yet." in content


def test_contributions_of_an_inactive_member_are_not_found(client: Client) -> None:
    gone = MemberFactory(is_active=False)
    client.force_login(MemberFactory())
    assert client.get(contributions_url(gone)).status_code == 404


def test_profile_query_count_is_bounded(
    client: Client, author: Member, django_assert_max_num_queries: Any
) -> None:
    space = SpaceFactory()
    for _ in range(8):
        AnswerFactory(post=PostFactory(space=space, author=author), author=author)
    client.force_login(author)
    with django_assert_max_num_queries(25):
        client.get(profile_url(author))
