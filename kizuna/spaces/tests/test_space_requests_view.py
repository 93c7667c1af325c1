from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kizuna.identity.tests.factories import MemberFactory, StaffFactory
from kizuna.spaces.models import AccessType, JoinRequest, Membership, Space, SpaceRole
from kizuna.spaces.tests.factories import JoinRequestFactory, MembershipFactory, SpaceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


AssertNumQueries = Callable[[int], AbstractContextManager[Any]]
HTMX = {"HTTP_HX_REQUEST": "true"}
# session, member, space, membership, pending count, pending page, decided history
QUERIES = 7


def moderated_space() -> tuple[Space, Membership]:
    space = SpaceFactory(access_type=AccessType.APPLICATION, join_questions=["目的は?"])
    return space, MembershipFactory(space=space, role=SpaceRole.MODERATOR)


def requests_url(space: Space) -> str:
    return reverse("spaces:space-requests", args=[space.slug])


def decide_url(join_request: JoinRequest) -> str:
    return reverse("spaces:join-request-decide", args=[join_request.space.slug, join_request.pk])


def test_queue_lists_pending_requests_with_their_answers(client: Client) -> None:
    space, moderator = moderated_space()
    JoinRequestFactory(
        space=space,
        applicant=MemberFactory(display_name="申請者A"),
        answers=[{"question": "目的は?", "answer": "情報交換"}],
    )
    client.force_login(moderator.member)
    html = client.get(requests_url(space)).content.decode()
    assert "申請者A" in html and "情報交換" in html


def test_queue_shows_an_empty_state(client: Client) -> None:
    space, moderator = moderated_space()
    client.force_login(moderator.member)
    html = client.get(requests_url(space)).content.decode()
    assert "No pending requests." in html
    assert "No decisions yet." in html


def test_plain_member_cannot_open_the_queue(client: Client) -> None:
    space, _moderator = moderated_space()
    client.force_login(MembershipFactory(space=space).member)
    assert client.get(requests_url(space)).status_code == 403


def test_non_member_gets_the_application_page_not_the_queue(client: Client) -> None:
    space, _moderator = moderated_space()
    JoinRequestFactory(space=space, applicant=MemberFactory(display_name="申請者A"))
    client.force_login(MemberFactory())
    response = client.get(requests_url(space))
    assert response.status_code == 403
    assert "申請者A" not in response.content.decode()


def test_staff_moderator_opens_the_queue(client: Client) -> None:
    space, _moderator = moderated_space()
    client.force_login(StaffFactory(staff_role="moderator"))
    assert client.get(requests_url(space)).status_code == 200


def test_queue_query_count_does_not_grow_with_requests(
    client: Client, django_assert_num_queries: AssertNumQueries
) -> None:
    space, moderator = moderated_space()
    client.force_login(moderator.member)
    JoinRequestFactory.create_batch(2, space=space)
    JoinRequestFactory(space=space, status=JoinRequest.Status.REJECTED, decided_by=moderator.member)
    with django_assert_num_queries(QUERIES):
        client.get(requests_url(space))
    JoinRequestFactory.create_batch(8, space=space)
    JoinRequestFactory.create_batch(
        5, space=space, status=JoinRequest.Status.APPROVED, decided_by=moderator.member
    )
    with django_assert_num_queries(QUERIES):
        client.get(requests_url(space))


def test_approve_redirects_to_the_queue_and_admits_the_applicant(client: Client) -> None:
    space, moderator = moderated_space()
    join_request = JoinRequestFactory(space=space)
    client.force_login(moderator.member)
    response = client.post(decide_url(join_request), {"decision": "approve"}, follow=True)
    join_request.refresh_from_db()
    assert response.redirect_chain == [(requests_url(space), 302)]
    assert join_request.status == JoinRequest.Status.APPROVED
    assert Membership.objects.filter(space=space, member=join_request.applicant).exists()
    assert f"{join_request.applicant} was approved." in response.content.decode()


def test_approve_with_htmx_returns_the_decided_card_fragment(client: Client) -> None:
    space, moderator = moderated_space()
    join_request = JoinRequestFactory(space=space)
    client.force_login(moderator.member)
    response = client.post(decide_url(join_request), {"decision": "approve"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith(
        f'<article class="card join-request" id="join-request-{join_request.pk}"'
    )
    assert "<html" not in html
    assert "Approved" in html
    assert Membership.objects.filter(space=space, member=join_request.applicant).exists()


def test_reject_with_reason_records_it(client: Client) -> None:
    space, moderator = moderated_space()
    join_request = JoinRequestFactory(space=space)
    client.force_login(moderator.member)
    client.post(decide_url(join_request), {"decision": "reject", "reason": "対象外です"})
    join_request.refresh_from_db()
    assert (join_request.status, join_request.decision_reason) == (
        JoinRequest.Status.REJECTED,
        "対象外です",
    )
    assert not Membership.objects.filter(space=space, member=join_request.applicant).exists()


def test_reject_without_reason_shows_the_error_on_the_full_page(client: Client) -> None:
    space, moderator = moderated_space()
    join_request = JoinRequestFactory(space=space)
    client.force_login(moderator.member)
    response = client.post(decide_url(join_request), {"decision": "reject", "reason": ""})
    join_request.refresh_from_db()
    assert response.status_code == 400
    assert "Give the applicant a reason for the rejection." in response.content.decode()
    assert join_request.status == JoinRequest.Status.PENDING


def test_reject_without_reason_with_htmx_returns_the_card_with_the_error(client: Client) -> None:
    space, moderator = moderated_space()
    join_request = JoinRequestFactory(space=space)
    client.force_login(moderator.member)
    response = client.post(
        decide_url(join_request),
        {"decision": "reject", "reason": ""},
        **HTMX,
    )
    html = response.content.decode()
    join_request.refresh_from_db()
    assert response.status_code == 200
    assert html.startswith('<article class="card join-request"')
    assert "Give the applicant a reason for the rejection." in html
    assert join_request.status == JoinRequest.Status.PENDING


def test_deciding_twice_says_it_was_already_decided(client: Client) -> None:
    space, moderator = moderated_space()
    join_request = JoinRequestFactory(space=space, status=JoinRequest.Status.WITHDRAWN)
    client.force_login(moderator.member)
    response = client.post(decide_url(join_request), {"decision": "approve"}, follow=True)
    assert "This request was already decided." in response.content.decode()
    assert not Membership.objects.filter(space=space, member=join_request.applicant).exists()


def test_deciding_twice_with_htmx_shows_the_current_state(client: Client) -> None:
    space, moderator = moderated_space()
    join_request = JoinRequestFactory(space=space, status=JoinRequest.Status.WITHDRAWN)
    client.force_login(moderator.member)
    response = client.post(decide_url(join_request), {"decision": "approve"}, **HTMX)
    html = response.content.decode()
    assert "This request was already decided." in html
    assert "Withdrawn" in html


def test_plain_member_cannot_decide_and_nothing_changes(client: Client) -> None:
    space, _moderator = moderated_space()
    join_request = JoinRequestFactory(space=space)
    client.force_login(MembershipFactory(space=space).member)
    response = client.post(decide_url(join_request), {"decision": "approve"})
    join_request.refresh_from_db()
    assert response.status_code == 403
    assert join_request.status == JoinRequest.Status.PENDING
    assert not Membership.objects.filter(space=space, member=join_request.applicant).exists()


def test_unknown_decision_is_a_bad_request(client: Client) -> None:
    space, moderator = moderated_space()
    join_request = JoinRequestFactory(space=space)
    client.force_login(moderator.member)
    response = client.post(decide_url(join_request), {"decision": "maybe"})
    join_request.refresh_from_db()
    assert response.status_code == 400
    assert join_request.status == JoinRequest.Status.PENDING


def test_request_of_another_space_is_not_found(client: Client) -> None:
    space, moderator = moderated_space()
    elsewhere = JoinRequestFactory()
    client.force_login(moderator.member)
    url = reverse("spaces:join-request-decide", args=[space.slug, elsewhere.pk])
    assert client.post(url, {"decision": "approve"}).status_code == 404
