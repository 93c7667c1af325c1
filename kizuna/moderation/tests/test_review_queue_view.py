from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse

from kizuna.content.models import ContentStatus
from kizuna.core.models import AuditEntry
from kizuna.identity.tests.factories import MemberFactory, StaffFactory
from kizuna.moderation.holds import sweep_unqueued_holds
from kizuna.moderation.models import BlockedTerm, Hold, ReviewItem
from kizuna.moderation.selectors import get_moderation_settings, moderation_decision
from kizuna.moderation.tests.factories import PostFactory, ReviewItemFactory
from kizuna.spaces.models import SpaceRole
from kizuna.spaces.tests.factories import MembershipFactory, SpaceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

QUEUE = reverse("moderation:queue")
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _no_indexing() -> Iterator[None]:
    with mock.patch("kizuna.search.tasks.index_post.delay"):
        yield


def test_space_moderators_see_only_items_of_spaces_they_moderate(client: Client) -> None:
    mine = ReviewItemFactory(post__title="自分のスペースの投稿")
    ReviewItemFactory(post__title="他のスペースの投稿")
    moderator = MembershipFactory(space=mine.space, role=SpaceRole.MODERATOR).member
    client.force_login(moderator)

    response = client.get(QUEUE)

    assert response.status_code == 200
    assert [item.pk for item in response.context["page"]] == [mine.pk]
    assert "他のスペースの投稿" not in response.content.decode()


def test_staff_moderators_see_every_space(client: Client) -> None:
    items = ReviewItemFactory.create_batch(2)
    client.force_login(StaffFactory(staff_role="moderator"))

    response = client.get(QUEUE)

    assert {item.pk for item in response.context["page"]} == {item.pk for item in items}


def test_members_and_staff_without_moderate_are_refused(client: Client) -> None:
    space = ReviewItemFactory().space
    client.force_login(MembershipFactory(space=space).member)
    assert client.get(QUEUE).status_code == 403
    client.force_login(StaffFactory(staff_role="sales"))
    assert client.get(QUEUE).status_code == 403


def test_staff_without_two_step_sign_in_are_sent_to_set_it_up(client: Client) -> None:
    client.force_login(StaffFactory(staff_role="moderator", with_mfa=False))

    response = client.get(QUEUE)

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_queue_shows_reasons_and_filters_by_source(client: Client) -> None:
    rule_item = ReviewItemFactory()
    flag_item = ReviewItemFactory(source="flag", reasons=["Flagged as Spam by 1 member(s)"])
    client.force_login(StaffFactory())

    everything = client.get(QUEUE)
    flags_only = client.get(QUEUE, {"source": "flag"})

    assert (
        "Possible promotion: campaign wording &#x27;discount&#x27;" in everything.content.decode()
    )
    assert {item.pk for item in everything.context["page"]} == {rule_item.pk, flag_item.pk}
    assert [item.pk for item in flags_only.context["page"]] == [flag_item.pk]


def test_queue_hides_resolved_items_unless_asked(client: Client) -> None:
    resolved = ReviewItemFactory(
        status="resolved", action="approve", post__status=ContentStatus.PUBLISHED
    )
    pending = ReviewItemFactory(status="resubmitted")
    client.force_login(StaffFactory())

    assert [item.pk for item in client.get(QUEUE).context["page"]] == [pending.pk]
    assert [item.pk for item in client.get(QUEUE, {"status": "resolved"}).context["page"]] == [
        resolved.pk
    ]


def test_queue_with_htmx_answers_the_list_fragment(client: Client) -> None:
    ReviewItemFactory()
    client.force_login(StaffFactory())

    response = client.get(QUEUE, **HTMX)

    assert response.templates[0].name == "moderation/queue/partial.html"
    assert "<html" not in response.content.decode()


def test_queue_queries_do_not_grow_with_items(
    client: Client, django_assert_num_queries: Any
) -> None:
    staff = StaffFactory()
    ReviewItemFactory.create_batch(3)
    client.force_login(staff)
    client.get(QUEUE)  # warm the session

    # session, member, MFA check; count, page with targets and authors, space filter choices
    with django_assert_num_queries(6):
        client.get(QUEUE)
    ReviewItemFactory.create_batch(5)
    with django_assert_num_queries(6):
        client.get(QUEUE)


def test_held_posts_nobody_queued_appear_in_the_queue_after_the_sweep(client: Client) -> None:
    post = PostFactory(status=ContentStatus.HELD)
    Hold.objects.create(post=post, source="rules", reasons=["理由A"])
    client.force_login(StaffFactory())

    sweep_unqueued_holds()
    response = client.get(QUEUE)

    assert [item.post for item in response.context["page"]] == [post]


def test_review_item_page_shows_the_actions(client: Client) -> None:
    item = ReviewItemFactory()
    client.force_login(StaffFactory())

    response = client.get(reverse("moderation:review-item", args=[item.pk]))

    assert response.status_code == 200
    content = response.content.decode()
    for label in (
        "Approve",
        "Hide",
        "Delete",
        "Save edit",
        "Lock",
        "Move",
        "Send warning",
        "Suspend",
    ):
        assert label in content


def test_review_item_of_another_space_is_not_found_for_space_moderators(client: Client) -> None:
    item = ReviewItemFactory()
    client.force_login(MembershipFactory(space=SpaceFactory(), role=SpaceRole.HOST).member)

    assert client.get(reverse("moderation:review-item", args=[item.pk])).status_code == 404


def test_approve_from_the_page(client: Client) -> None:
    item = ReviewItemFactory()
    moderator = MembershipFactory(space=item.space, role=SpaceRole.MODERATOR).member
    client.force_login(moderator)

    response = client.post(
        reverse("moderation:review-item-action", args=[item.pk, "approve"]),
        {"approve-reason": "問題なし"},
    )

    assert response.status_code == 302
    item.post.refresh_from_db()
    assert item.post.status == ContentStatus.PUBLISHED
    assert AuditEntry.objects.get(action="moderation.approve").reason == "問題なし"


def test_hide_without_reason_shows_the_error_and_changes_nothing(client: Client) -> None:
    item = ReviewItemFactory()
    client.force_login(StaffFactory())

    response = client.post(reverse("moderation:review-item-action", args=[item.pk, "hide"]), {})

    assert response.status_code == 400
    assert "Give a reason: it is kept in the audit log." in response.content.decode()
    item.post.refresh_from_db()
    assert item.post.status == ContentStatus.HELD


def test_space_moderator_posting_an_action_elsewhere_changes_nothing(client: Client) -> None:
    item = ReviewItemFactory()
    client.force_login(MembershipFactory(space=SpaceFactory(), role=SpaceRole.MODERATOR).member)

    response = client.post(
        reverse("moderation:review-item-action", args=[item.pk, "delete"]),
        {"delete-reason": "x"},
    )

    assert response.status_code == 404
    item.refresh_from_db()
    assert item.status == ReviewItem.Status.OPEN
    assert not AuditEntry.objects.exists()


def test_suspend_from_the_page(client: Client) -> None:
    item = ReviewItemFactory()
    client.force_login(StaffFactory(staff_role="moderator"))

    client.post(
        reverse("moderation:review-item-action", args=[item.pk, "suspend"]),
        {"suspend-reason": "spam", "suspend-duration_note": "7 days"},
    )

    item.post.author.refresh_from_db()
    assert not item.post.author.is_active


def test_unknown_action_is_not_found(client: Client) -> None:
    item = ReviewItemFactory()
    client.force_login(StaffFactory())

    response = client.post(reverse("moderation:review-item-action", args=[item.pk, "explode"]))

    assert response.status_code == 404


def test_blocked_terms_page_adds_and_removes_terms(client: Client) -> None:

    client.force_login(StaffFactory(staff_role="moderator"))
    url = reverse("moderation:blocked-terms")

    client.post(url, {"kind": "domain", "value": "https://www.Spam.example/path"})
    term = BlockedTerm.objects.get()
    assert (term.kind, term.value) == ("domain", "spam.example")
    assert "spam.example" in client.get(url).content.decode()
    client.post(reverse("moderation:blocked-term-delete", args=[term.pk]))

    assert not BlockedTerm.objects.exists()
    assert AuditEntry.objects.filter(action__startswith="moderation.").count() == 2


def test_blocked_terms_page_is_for_staff_moderators(client: Client) -> None:
    space = SpaceFactory()
    client.force_login(MembershipFactory(space=space, role=SpaceRole.HOST).member)

    assert client.get(reverse("moderation:blocked-terms")).status_code == 403
    assert (
        client.post(reverse("moderation:blocked-terms"), {"kind": "word", "value": "x"}).status_code
        == 403
    )


def test_space_settings_page_saves_settings(client: Client) -> None:

    space = SpaceFactory()
    client.force_login(MembershipFactory(space=space, role=SpaceRole.HOST).member)
    url = reverse("moderation:space-settings", args=[space.slug])

    assert client.get(url).status_code == 200
    client.post(url, {"hold_new_member_links": "on"})

    settings = get_moderation_settings(space)
    assert (settings.forbid_promotion, settings.hold_new_member_links) == (False, True)
    assert AuditEntry.objects.get(action="moderation.settings").target_id == str(space.pk)


def test_space_settings_page_is_refused_to_members(client: Client) -> None:
    space = SpaceFactory()
    client.force_login(MembershipFactory(space=space).member)

    response = client.post(reverse("moderation:space-settings", args=[space.slug]), {})

    assert response.status_code == 403
    assert not AuditEntry.objects.exists()


def test_queue_asks_visitors_to_sign_in(client: Client) -> None:
    assert client.get(QUEUE).status_code == 302


def test_member_flags_then_moderator_hides(client: Client) -> None:
    post = PostFactory()
    for _ in range(3):
        client.force_login(MemberFactory())
        client.post(reverse("moderation:flag", args=["post", post.pk]), {"reason": "abusive"})
    item = ReviewItem.objects.get(post=post)
    client.force_login(StaffFactory())

    client.post(
        reverse("moderation:review-item-action", args=[item.pk, "hide"]),
        {"hide-reason": "Abusive language"},
    )

    post.refresh_from_db()
    assert post.status == ContentStatus.HIDDEN
    decision = moderation_decision(post)
    assert decision is not None
    assert decision["reason"] == "Abusive language"
