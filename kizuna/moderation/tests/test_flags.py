import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from kizuna.activity.models import Activity, Verb
from kizuna.content.models import ContentStatus
from kizuna.core.models import AuditEntry
from kizuna.identity.tests.factories import MemberFactory
from kizuna.moderation.models import Flag, Hold, ReviewItem
from kizuna.moderation.services import flag_content
from kizuna.moderation.tests.factories import AnswerFactory, CommentFactory, PostFactory
from kizuna.spaces.models import AccessType
from kizuna.spaces.tests.factories import SpaceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_flagging_records_the_flag_activity_and_a_review_item() -> None:
    post = PostFactory()
    member = MemberFactory()

    flag = flag_content(member=member, target=post, reason="spam", note="同じ投稿が何度も")

    assert (flag.member, flag.post, flag.reason) == (member, post, "spam")
    activity = Activity.objects.get(verb=Verb.FLAGGED)
    assert (activity.actor_id, activity.object_id, activity.space_id) == (
        member.pk,
        post.pk,
        post.space_id,
    )
    item = ReviewItem.objects.get(post=post)
    assert (item.source, item.flag_count, item.status) == ("flag", 1, "open")
    assert item.reasons == ["Flagged as Spam by 1 member(s)"]
    post.refresh_from_db()
    assert post.status == ContentStatus.PUBLISHED


def test_one_open_flag_per_member_and_target() -> None:
    post = PostFactory()
    member = MemberFactory()

    first = flag_content(member=member, target=post, reason="spam")
    again = flag_content(member=member, target=post, reason="abusive")

    assert again == first
    assert Flag.objects.count() == 1


def test_three_members_flags_hold_the_content() -> None:
    post = PostFactory()

    for reason in ("spam", "promotion", "promotion"):
        flag_content(member=MemberFactory(), target=post, reason=reason)

    post.refresh_from_db()
    assert post.status == ContentStatus.HELD
    assert Hold.objects.get(post=post).reasons == [
        "Flagged as Promotion or sales by 2 member(s)",
        "Flagged as Spam by 1 member(s)",
    ]
    item = ReviewItem.objects.get(post=post)
    assert item.flag_count == 3
    assert AuditEntry.objects.filter(action="moderation.auto_hold", target_id=str(post.pk)).exists()


def test_answers_and_comments_can_be_flagged_and_held() -> None:
    answer = AnswerFactory()
    comment = CommentFactory()

    for _ in range(3):
        flag_content(member=MemberFactory(), target=answer, reason="abusive")
        flag_content(member=MemberFactory(), target=comment, reason="abusive")

    answer.refresh_from_db()
    comment.refresh_from_db()
    assert (answer.status, comment.status) == (ContentStatus.HELD, ContentStatus.HELD)
    assert ReviewItem.objects.filter(answer=answer).exists()
    assert ReviewItem.objects.filter(comment=comment).exists()


def test_members_cannot_flag_their_own_post() -> None:
    post = PostFactory()

    with pytest.raises(ValidationError):
        flag_content(member=post.author, target=post, reason="spam")

    assert not Flag.objects.exists()


def test_members_cannot_flag_what_they_cannot_see() -> None:
    post = PostFactory(space=SpaceFactory(access_type=AccessType.PRIVATE))

    with pytest.raises(PermissionDenied):
        flag_content(member=MemberFactory(), target=post, reason="spam")

    assert not Flag.objects.exists()
    assert not Activity.objects.exists()


def test_flag_page_flags_and_returns_to_next(client: Client) -> None:
    post = PostFactory()
    client.force_login(MemberFactory())

    response = client.post(
        reverse("moderation:flag", args=["post", post.pk]),
        {"reason": "off_topic", "note": "", "next": "/spaces/"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/spaces/"
    assert Flag.objects.get().reason == "off_topic"


def test_flag_page_with_htmx_answers_a_fragment(client: Client) -> None:
    post = PostFactory()
    client.force_login(MemberFactory())

    response = client.post(
        reverse("moderation:flag", args=["post", post.pk]),
        {"reason": "spam"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    assert "Thank you. The moderators will take a look." in response.content.decode()


def test_flag_page_shows_the_form(client: Client) -> None:
    client.force_login(MemberFactory())

    response = client.get(reverse("moderation:flag", args=["answer", AnswerFactory().pk]))

    assert response.status_code == 200
    assert "Promotion or sales" in response.content.decode()


def test_flag_page_rejects_a_missing_reason(client: Client) -> None:
    client.force_login(MemberFactory())

    response = client.post(reverse("moderation:flag", args=["post", PostFactory().pk]), {})

    assert response.status_code == 400
    assert not Flag.objects.exists()


def test_flag_page_asks_visitors_to_sign_in(client: Client) -> None:
    response = client.post(reverse("moderation:flag", args=["post", PostFactory().pk]))

    assert response.status_code == 302
    assert not Flag.objects.exists()


def test_flag_page_for_a_post_the_member_cannot_read_is_not_found(client: Client) -> None:
    post = PostFactory(space=SpaceFactory(access_type=AccessType.PRIVATE))
    client.force_login(MemberFactory())
    assert client.get(reverse("moderation:flag", args=["post", post.pk])).status_code == 404
    assert (
        client.post(
            reverse("moderation:flag", args=["post", post.pk]), {"reason": "spam"}
        ).status_code
        == 404
    )
    assert not Flag.objects.exists()
