import pytest
from django.test import Client
from django.urls import reverse

from kizuna.identity.tests.factories import MemberFactory
from kizuna.spaces.models import AccessType, JoinRequest, Space
from kizuna.spaces.tests.factories import JoinRequestFactory, MembershipFactory, SpaceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def application_space() -> Space:
    return SpaceFactory(
        access_type=AccessType.APPLICATION, join_questions=["ご利用中の製品は?", "参加の目的は?"]
    )


def apply_url(space: Space) -> str:
    return reverse("spaces:space-apply", args=[space.slug])


def test_apply_form_shows_purpose_rules_and_each_question(client: Client) -> None:
    space = application_space()
    client.force_login(MemberFactory())
    response = client.get(apply_url(space))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Public purpose of the space" in html
    assert "Be kind and stay on topic" in html
    assert "ご利用中の製品は?" in html and "参加の目的は?" in html
    assert "Secret description of the space" not in html


def test_anonymous_visitor_is_sent_to_sign_in_before_applying(client: Client) -> None:
    space = application_space()
    response = client.get(apply_url(space))
    assert response["Location"] == f"{reverse('account_login')}?next={apply_url(space)}"


def test_apply_creates_a_pending_request_with_the_answers(client: Client) -> None:
    space = application_space()
    member = MemberFactory()
    client.force_login(member)
    response = client.post(apply_url(space), {"answer_0": "Kizuna Cloud", "answer_1": "情報交換"})
    assert response["Location"] == reverse("spaces:space-detail", args=[space.slug])
    join_request = JoinRequest.objects.get(space=space, applicant=member)
    assert join_request.status == JoinRequest.Status.PENDING
    assert join_request.answers == [
        {"question": "ご利用中の製品は?", "answer": "Kizuna Cloud"},
        {"question": "参加の目的は?", "answer": "情報交換"},
    ]


def test_missing_answer_is_shown_next_to_its_question_and_input_is_kept(client: Client) -> None:
    space = application_space()
    client.force_login(MemberFactory())
    response = client.post(apply_url(space), {"answer_0": "Kizuna Cloud", "answer_1": ""})
    form = response.context["form"]
    assert response.status_code == 400
    assert form.errors == {"answer_1": ["Answer this question: 参加の目的は?"]}
    assert "Kizuna Cloud" in response.content.decode()
    assert not JoinRequest.objects.exists()


def test_member_of_the_space_is_sent_back_to_the_space(client: Client) -> None:
    membership = MembershipFactory(space=application_space())
    client.force_login(membership.member)
    response = client.post(apply_url(membership.space), {"answer_0": "a", "answer_1": "b"})
    assert response["Location"] == reverse("spaces:space-detail", args=[membership.space.slug])
    assert not JoinRequest.objects.exists()


def test_applying_twice_keeps_one_pending_request(client: Client) -> None:
    join_request = JoinRequestFactory(space=application_space())
    client.force_login(join_request.applicant)
    client.post(apply_url(join_request.space), {"answer_0": "a", "answer_1": "b"})
    assert JoinRequest.objects.filter(applicant=join_request.applicant).count() == 1


def test_open_space_has_no_application_form(client: Client) -> None:
    space = SpaceFactory(access_type=AccessType.OPEN)
    client.force_login(MemberFactory())
    response = client.get(apply_url(space))
    assert response["Location"] == reverse("spaces:space-detail", args=[space.slug])


def test_withdraw_marks_the_pending_request_withdrawn(client: Client) -> None:
    join_request = JoinRequestFactory(space=application_space())
    client.force_login(join_request.applicant)
    url = reverse("spaces:join-request-withdraw", args=[join_request.space.slug])
    response = client.post(url, follow=True)
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.WITHDRAWN
    assert "You withdrew your application." in response.content.decode()


def test_withdraw_without_a_pending_request_changes_nothing(client: Client) -> None:
    other = JoinRequestFactory(space=application_space())
    client.force_login(MemberFactory())
    url = reverse("spaces:join-request-withdraw", args=[other.space.slug])
    response = client.post(url, follow=True)
    other.refresh_from_db()
    assert other.status == JoinRequest.Status.PENDING
    assert "You have no application waiting for this space." in response.content.decode()
