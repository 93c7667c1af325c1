from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from kizuna.content.models import PostType
from kizuna.content.tests.factories import PostFactory
from kizuna.contests import services
from kizuna.contests.models import Contest, ContestKind, Entry, Judging, Vote, Winner
from kizuna.contests.tests.factories import ContestFactory, EntryFactory, close
from kizuna.core.models import AuditEntry
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import MemberFactory, StaffFactory
from kizuna.spaces.models import AccessType
from kizuna.spaces.tests.factories import MembershipFactory, SpaceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
LIST = reverse("contests:contest-list")
MANAGE = reverse("contests:manage-list")


def detail(contest: Contest) -> str:
    return reverse("contests:contest-detail", args=[contest.pk])


@pytest.fixture
def manager(client: Client) -> Member:
    staff: Member = StaffFactory(staff_role="community_manager")
    client.force_login(staff)
    return staff


@pytest.fixture
def member(client: Client) -> Member:
    signed_in: Member = MemberFactory()
    client.force_login(signed_in)
    return signed_in


# ---------------------------------------------------------------- list


def test_the_list_shows_open_upcoming_and_past_contests_on_their_tabs(client: Client) -> None:
    now = timezone.now()
    open_now = ContestFactory(title="開催中のコンテスト")
    upcoming = ContestFactory(
        title="予定のコンテスト",
        opens_at=now + timedelta(days=2),
        closes_at=now + timedelta(days=9),
    )
    past = close(ContestFactory(title="終了したコンテスト"))
    draft = ContestFactory(title="下書きのコンテスト", published_at=None)
    pages = {
        tab: client.get(LIST, {"tab": tab}).content.decode() for tab in ("open", "upcoming", "past")
    }
    assert open_now.title in pages["open"] and upcoming.title not in pages["open"]
    assert upcoming.title in pages["upcoming"] and past.title not in pages["upcoming"]
    assert past.title in pages["past"] and open_now.title not in pages["past"]
    assert all(draft.title not in page for page in pages.values())


def test_the_list_explains_an_empty_tab(client: Client) -> None:
    response = client.get(LIST)
    assert "No contest is open right now." in response.content.decode()
    assert "No contest has finished yet." in client.get(LIST, {"tab": "past"}).content.decode()


def test_the_list_is_paginated_in_a_fixed_number_of_queries(
    client: Client, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    ContestFactory.create_batch(25)
    with django_assert_num_queries(2):  # count, page
        response = client.get(LIST)
    assert "Page 1 of 2" in response.content.decode()


# ---------------------------------------------------------------- detail


def test_a_draft_is_hidden_from_members_but_shown_to_staff(client: Client) -> None:
    draft = ContestFactory(published_at=None)
    assert client.get(detail(draft)).status_code == 404
    client.force_login(StaffFactory(staff_role="community_manager"))
    assert client.get(detail(draft)).status_code == 200


def test_the_description_is_rendered_markdown(client: Client) -> None:
    contest = ContestFactory(description="**大切**")
    assert "<strong>大切</strong>" in client.get(detail(contest)).content.decode()


def test_a_private_space_case_study_is_shown_only_to_those_who_can_read_it(client: Client) -> None:
    private = SpaceFactory(access_type=AccessType.APPLICATION)
    author = MemberFactory()
    MembershipFactory(space=private, member=author)
    post = PostFactory(
        space=private, author=author, post_type=PostType.CASE_STUDY, title="社外秘の導入事例"
    )
    contest = ContestFactory(kind=ContestKind.BEST_CASE_STUDY)
    services.enter_contest(member=author, contest=contest, statement="公開の説明文", post=post)

    client.force_login(MemberFactory())
    outsider_page = client.get(detail(contest)).content.decode()
    assert "公開の説明文" in outsider_page
    assert post.title not in outsider_page
    assert reverse("content:post-detail", args=[post.pk]) not in outsider_page

    client.force_login(author)
    assert post.title in client.get(detail(contest)).content.decode()


def test_vote_counts_stay_hidden_until_the_contest_closes(client: Client) -> None:
    contest = ContestFactory(judging=Judging.MEMBER_VOTE)
    entry = EntryFactory(contest=contest)
    Vote.objects.create(contest=contest, voter=MemberFactory(), entry=entry)
    page = client.get(detail(contest)).content.decode()
    assert "1 vote" not in page
    assert "Vote counts stay hidden until the contest closes." in page
    close(contest)
    assert "1 vote" in client.get(detail(contest)).content.decode()


def test_the_detail_page_runs_a_fixed_number_of_queries(
    client: Client, member: Member, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    contest = ContestFactory(kind=ContestKind.BEST_CASE_STUDY, judging=Judging.MEMBER_VOTE)
    for _number in range(5):
        entrant = MemberFactory()
        EntryFactory(
            contest=contest,
            member=entrant,
            post=PostFactory(author=entrant, post_type=PostType.CASE_STUDY),
        )
    # The same number whatever the number of entries: posts are checked for the page at once.
    with django_assert_num_queries(12):
        response = client.get(detail(contest))
    assert response.status_code == 200


# ---------------------------------------------------------------- entering and voting


def test_a_member_enters_and_withdraws(client: Client, member: Member) -> None:
    contest = ContestFactory()
    response = client.post(
        reverse("contests:contest-enter", args=[contest.pk]), {"statement": "導入事例です"}
    )
    assert response["Location"] == detail(contest)
    assert Entry.objects.get().member == member
    client.post(reverse("contests:contest-withdraw", args=[contest.pk]))
    assert not Entry.objects.exists()


def test_a_rejected_entry_comes_back_with_the_reason(client: Client, member: Member) -> None:
    contest = ContestFactory(kind=ContestKind.BEST_CASE_STUDY)
    response = client.post(
        reverse("contests:contest-enter", args=[contest.pk]), {"statement": "事例"}
    )
    assert response.status_code == 400
    assert "Choose one of your case studies." in response.content.decode()
    assert not Entry.objects.filter(contest=contest).exists()


def test_anonymous_visitors_are_sent_to_sign_in_before_entering(client: Client) -> None:
    contest = ContestFactory()
    response = client.post(
        reverse("contests:contest-enter", args=[contest.pk]), {"statement": "応募"}
    )
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not Entry.objects.exists()


def test_voting_for_ones_own_entry_says_why_it_is_refused(client: Client, member: Member) -> None:
    contest = ContestFactory(judging=Judging.MEMBER_VOTE)
    entry = EntryFactory(contest=contest, member=member)
    response = client.post(
        reverse("contests:contest-vote", args=[contest.pk]), {"entry": entry.pk}, follow=True
    )
    assert "You cannot vote for your own entry." in response.content.decode()
    assert not Vote.objects.exists()


def test_a_member_votes_and_moves_the_vote(client: Client, member: Member) -> None:
    contest = ContestFactory(judging=Judging.MEMBER_VOTE)
    first, second = EntryFactory.create_batch(2, contest=contest)
    vote_url = reverse("contests:contest-vote", args=[contest.pk])
    client.post(vote_url, {"entry": first.pk})
    response = client.post(vote_url, {"entry": second.pk}, follow=True)
    assert "You voted for this entry." in response.content.decode()
    assert list(Vote.objects.values_list("entry_id", flat=True)) == [second.pk]


# ---------------------------------------------------------------- staff pages


@pytest.mark.parametrize("role", ["moderator", "csm"])
def test_staff_without_the_capability_are_refused(client: Client, role: str) -> None:
    client.force_login(StaffFactory(staff_role=role))
    assert client.get(MANAGE).status_code == 403
    assert client.get(reverse("contests:contest-create")).status_code == 403


def test_members_are_refused_the_staff_pages(client: Client, member: Member) -> None:
    contest = ContestFactory()
    assert client.get(MANAGE).status_code == 403
    response = client.post(reverse("contests:contest-action", args=[contest.pk, "close"]))
    assert response.status_code == 403
    contest.refresh_from_db()
    assert contest.closes_at > timezone.now()


def _form(**overrides: str) -> dict[str, str]:
    data = {
        "title": "ベストプロフィール賞",
        "description": "写真と自己紹介",
        "kind": "best_profile",
        "judging": "member_vote",
        "opens_at": "2031-04-01T09:00",
        "closes_at": "2031-04-15T18:00",
        "winner_count": "3",
        "points_per_winner": "200",
        "badge": "",
    }
    data.update(overrides)
    return data


def test_staff_create_a_contest_in_their_time_zone(client: Client, manager: Member) -> None:
    response = client.post(reverse("contests:contest-create"), _form())
    contest = Contest.objects.get()
    assert response["Location"] == reverse("contests:manage-contest", args=[contest.pk])
    # The staff member's time zone is Asia/Tokyo (UTC+9).
    assert contest.opens_at.isoformat() == "2031-04-01T00:00:00+00:00"
    assert contest.published_at is None
    assert AuditEntry.objects.filter(action="contests.created").count() == 1


def test_a_contest_closing_before_it_opens_is_explained(client: Client, manager: Member) -> None:
    response = client.post(reverse("contests:contest-create"), _form(closes_at="2031-03-01T09:00"))
    assert response.status_code == 400
    assert "The contest must close after it opens." in response.content.decode()
    assert not Contest.objects.exists()


def test_staff_run_a_staff_judged_contest_to_the_announcement(
    client: Client, manager: Member
) -> None:
    contest = ContestFactory(points_per_winner=150)
    entry = EntryFactory(contest=contest)
    client.post(reverse("contests:contest-action", args=[contest.pk, "close"]))
    page = client.get(reverse("contests:manage-contest", args=[contest.pk])).content.decode()
    assert "Choose the winners" in page
    client.post(
        reverse("contests:choose-winners", args=[contest.pk]), {"place_1": str(entry.member_id)}
    )
    response = client.post(
        reverse("contests:contest-action", args=[contest.pk, "announce"]), follow=True
    )
    assert "The winners are announced." in response.content.decode()
    assert list(Winner.objects.values_list("member_id", "place")) == [(entry.member_id, 1)]


def test_choosing_no_first_place_is_explained(client: Client, manager: Member) -> None:
    contest = close(ContestFactory())
    EntryFactory(contest=contest)
    response = client.post(reverse("contests:choose-winners", args=[contest.pk]), {"place_1": ""})
    assert response.status_code == 400
    assert "Choose the winner of first place." in response.content.decode()
    assert not Winner.objects.exists()


def test_an_unknown_action_is_not_found(client: Client, manager: Member) -> None:
    contest = ContestFactory()
    assert (
        client.post(reverse("contests:contest-action", args=[contest.pk, "delete"])).status_code
        == 404
    )


# ---------------------------------------------------------------- home page


def test_the_home_page_spotlights_the_latest_announced_winners(client: Client) -> None:
    manager = StaffFactory(staff_role="community_manager")
    older, latest = ContestFactory(title="前回の大賞"), ContestFactory(title="今月の大賞")
    for contest, name in ((older, "前回の受賞者"), (latest, "今月の受賞者")):
        entry = EntryFactory(contest=contest, member__display_name=name)
        close(contest)
        services.choose_winners(actor=manager, contest=contest, member_ids=[entry.member_id])
        services.announce_winners(actor=manager, contest=contest)
    page = client.get(reverse("home")).content.decode()
    assert "今月の大賞" in page and "今月の受賞者" in page
    assert "前回の受賞者" not in page
    assert detail(latest) in page


def test_the_home_page_has_no_spotlight_before_any_announcement(client: Client) -> None:
    EntryFactory(contest__title="まだ発表前")
    page = client.get(reverse("home")).content.decode()
    assert "Contest winners" not in page


def test_the_staff_list_counts_entries_in_a_fixed_number_of_queries(
    client: Client, manager: Member, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    for contest in ContestFactory.create_batch(3):
        EntryFactory.create_batch(2, contest=contest)
    with django_assert_num_queries(5):  # session, member, TOTP check, count, page with counts
        response = client.get(MANAGE)
    assert response.content.decode().count("contests-table") == 1
