"""Applying to application spaces and deciding applications through the API."""

from collections.abc import Callable
from typing import Any

import pytest

from kizuna.customers.tests.factories import make_customer
from kizuna.identity.models import Member
from kizuna.spaces.models import AccessType, JoinRequest, Membership, Space, SpaceRole
from kizuna.spaces.tests.factories import JoinRequestFactory, MembershipFactory, SpaceFactory
from tests.api.conftest import ApiClient, error_of

pytestmark = pytest.mark.django_db

QUESTIONS = ["Which product do you use?", "What do you hope to learn?"]


@pytest.fixture
def space() -> Space:
    space: Space = SpaceFactory(
        slug="circle", access_type=AccessType.APPLICATION, join_questions=QUESTIONS
    )
    return space


@pytest.fixture
def moderator_client(space: Space, session_client: Callable[[Member], ApiClient]) -> ApiClient:
    moderator = MembershipFactory(space=space, member=make_customer(), role=SpaceRole.MODERATOR)
    return session_client(moderator.member)


def test_apply_with_answers(
    space: Space, non_customer: Member, session_client: Callable[[Member], ApiClient]
) -> None:
    response = session_client(non_customer).post(
        "/api/spaces/circle/join-requests", {"answers": ["経費精算", "運用のコツ"]}
    )

    assert response.status_code == 201
    assert response.json()["status"] == "pending"
    assert JoinRequest.objects.get(applicant=non_customer).answers == [
        {"question": QUESTIONS[0], "answer": "経費精算"},
        {"question": QUESTIONS[1], "answer": "運用のコツ"},
    ]


def test_applying_without_answers_names_the_questions_and_writes_nothing(
    space: Space, non_customer: Member, session_client: Callable[[Member], ApiClient]
) -> None:
    response = session_client(non_customer).post(
        "/api/spaces/circle/join-requests", {"answers": ["経費精算"]}
    )

    assert response.status_code == 422
    assert error_of(response)["fields"] == {
        "answer_1": ["Answer this question: What do you hope to learn?"]
    }
    assert not JoinRequest.objects.exists()


def test_applying_to_an_open_space_is_refused(
    non_customer: Member, session_client: Callable[[Member], ApiClient]
) -> None:
    SpaceFactory(slug="open-space")

    response = session_client(non_customer).post("/api/spaces/open-space/join-requests")

    assert response.status_code == 403
    assert not JoinRequest.objects.exists()


def test_moderators_list_pending_requests(space: Space, moderator_client: ApiClient) -> None:
    pending = JoinRequestFactory(space=space)
    JoinRequestFactory(space=space, status=JoinRequest.Status.REJECTED)

    response = moderator_client.get("/api/spaces/circle/join-requests")

    assert response.status_code == 200
    assert [item["id"] for item in response.json()["items"]] == [pending.pk]
    assert response.json()["count"] == 1


@pytest.mark.parametrize("role", ["member", "applicant"])
def test_others_cannot_list_requests(
    space: Space, session_client: Callable[[Member], ApiClient], role: str
) -> None:
    person = make_customer()
    if role == "member":
        MembershipFactory(space=space, member=person)
    else:
        JoinRequestFactory(space=space, applicant=person)

    response = session_client(person).get("/api/spaces/circle/join-requests")

    assert response.status_code == 403


def test_approving_adds_the_applicant(space: Space, moderator_client: ApiClient) -> None:
    request = JoinRequestFactory(space=space)

    response = moderator_client.post(f"/api/spaces/circle/join-requests/{request.pk}/approve")

    assert response.status_code == 200
    assert response.json()["status"] == "approved"
    assert Membership.objects.get(space=space, member=request.applicant).via == "approval"


def test_rejecting_needs_a_reason(space: Space, moderator_client: ApiClient) -> None:
    request = JoinRequestFactory(space=space)

    response = moderator_client.post(f"/api/spaces/circle/join-requests/{request.pk}/reject")

    assert response.status_code == 422
    assert error_of(response)["fields"] == {
        "reason": ["Give the applicant a reason for the rejection."]
    }
    assert JoinRequest.objects.get(pk=request.pk).status == JoinRequest.Status.PENDING


def test_rejecting_with_a_reason(space: Space, moderator_client: ApiClient) -> None:
    request = JoinRequestFactory(space=space)

    response = moderator_client.post(
        f"/api/spaces/circle/join-requests/{request.pk}/reject", {"reason": "対象外です"}
    )

    assert response.status_code == 200
    assert response.json()["decision_reason"] == "対象外です"
    assert not Membership.objects.filter(space=space, member=request.applicant).exists()


def test_a_decided_request_cannot_be_decided_again(
    space: Space, moderator_client: ApiClient
) -> None:
    request = JoinRequestFactory(space=space, status=JoinRequest.Status.REJECTED)

    response = moderator_client.post(f"/api/spaces/circle/join-requests/{request.pk}/approve")

    assert response.status_code == 422
    assert not Membership.objects.filter(member=request.applicant).exists()


def test_a_member_cannot_approve(
    space: Space, session_client: Callable[[Member], ApiClient]
) -> None:
    request = JoinRequestFactory(space=space)
    member = MembershipFactory(space=space, member=make_customer()).member

    response = session_client(member).post(f"/api/spaces/circle/join-requests/{request.pk}/approve")

    assert response.status_code == 403
    assert JoinRequest.objects.get(pk=request.pk).status == JoinRequest.Status.PENDING


def test_a_request_of_another_space_gets_404(space: Space, moderator_client: ApiClient) -> None:
    elsewhere = JoinRequestFactory()

    response = moderator_client.post(f"/api/spaces/circle/join-requests/{elsewhere.pk}/approve")

    assert response.status_code == 404
    assert JoinRequest.objects.get(pk=elsewhere.pk).status == JoinRequest.Status.PENDING


@pytest.mark.parametrize("count", [2, 5])
def test_listing_requests_uses_a_fixed_number_of_queries(
    space: Space, staff_client: ApiClient, django_assert_num_queries: Any, count: int
) -> None:
    for _ in range(count):
        JoinRequestFactory(space=space)

    # key lookup, key update, space, access (membership, pending request), count, page
    with django_assert_num_queries(7):
        response = staff_client.get("/api/spaces/circle/join-requests")

    assert response.json()["count"] == count
