import pytest
from django.test import Client
from django.urls import reverse

from kizuna.customers.tests.factories import make_customer
from kizuna.identity.tests.factories import MemberFactory
from kizuna.spaces.models import AccessType, Membership, Space, SpaceRole
from kizuna.spaces.tests.factories import MembershipFactory, SpaceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


HTMX = {"HTTP_HX_REQUEST": "true"}


def join_url(space: Space) -> str:
    return reverse("spaces:space-join", args=[space.slug])


def leave_url(space: Space) -> str:
    return reverse("spaces:space-leave", args=[space.slug])


def test_join_redirects_to_the_space_with_a_message(client: Client) -> None:
    space = SpaceFactory(access_type=AccessType.OPEN)
    member = MemberFactory()
    client.force_login(member)
    response = client.post(join_url(space), follow=True)
    assert response.redirect_chain == [(reverse("spaces:space-detail", args=[space.slug]), 302)]
    assert f"You joined {space.name}." in response.content.decode()
    assert Membership.objects.filter(space=space, member=member).exists()


def test_join_with_htmx_returns_the_actions_fragment(client: Client) -> None:
    space = SpaceFactory(access_type=AccessType.OPEN)
    client.force_login(MemberFactory())
    response = client.post(join_url(space), **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith('<div id="space-actions"')
    assert "<html" not in html
    assert leave_url(space) in html


def test_join_with_htmx_updates_the_member_count_out_of_band(client: Client) -> None:
    space = SpaceFactory(access_type=AccessType.OPEN)
    MembershipFactory(space=space)
    client.force_login(MemberFactory())
    html = client.post(join_url(space), **HTMX).content.decode()
    assert '<span id="space-member-count" hx-swap-oob="true">2</span>' in html


def test_space_page_shows_the_member_count_once(client: Client) -> None:
    space = SpaceFactory(access_type=AccessType.OPEN)
    MembershipFactory(space=space)
    html = client.get(reverse("spaces:space-detail", args=[space.slug])).content.decode()
    assert html.count('id="space-member-count"') == 1
    assert "hx-swap-oob" not in html


def test_join_by_get_is_not_allowed(client: Client) -> None:
    space = SpaceFactory(access_type=AccessType.OPEN)
    client.force_login(MemberFactory())
    assert client.get(join_url(space)).status_code == 405
    assert not Membership.objects.filter(space=space).exists()


def test_anonymous_join_is_sent_to_sign_in(client: Client) -> None:
    space = SpaceFactory(access_type=AccessType.OPEN)
    response = client.post(join_url(space))
    assert response.status_code == 302
    assert response["Location"] == (
        f"{reverse('account_login')}?next={reverse('spaces:space-detail', args=[space.slug])}"
    )
    assert not Membership.objects.exists()


def test_non_customer_cannot_join_private_space_and_sees_customers_only_page(
    client: Client,
) -> None:
    space = SpaceFactory(access_type=AccessType.PRIVATE)
    client.force_login(MemberFactory())
    response = client.post(join_url(space))
    assert response.status_code == 403
    assert "This space is for customers only" in response.content.decode()
    assert not Membership.objects.filter(space=space).exists()


def test_customer_joins_private_space(client: Client) -> None:
    space = SpaceFactory(access_type=AccessType.PRIVATE)
    customer = make_customer()
    client.force_login(customer)
    client.post(join_url(space))
    assert Membership.objects.filter(space=space, member=customer).exists()


def test_joining_an_application_space_directly_is_refused(client: Client) -> None:
    space = SpaceFactory(access_type=AccessType.APPLICATION)
    client.force_login(MemberFactory())
    response = client.post(join_url(space))
    assert response.status_code == 403
    assert not Membership.objects.filter(space=space).exists()


def test_leave_redirects_to_the_space_with_a_message(client: Client) -> None:
    membership = MembershipFactory()
    client.force_login(membership.member)
    response = client.post(leave_url(membership.space), follow=True)
    assert f"You left {membership.space.name}." in response.content.decode()
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_leave_with_htmx_returns_the_actions_fragment_with_a_join_button(client: Client) -> None:
    membership = MembershipFactory()
    client.force_login(membership.member)
    response = client.post(leave_url(membership.space), **HTMX)
    html = response.content.decode()
    assert html.startswith('<div id="space-actions"')
    assert join_url(membership.space) in html
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_only_host_cannot_leave_and_is_told_why(client: Client) -> None:
    membership = MembershipFactory(role=SpaceRole.HOST)
    client.force_login(membership.member)
    response = client.post(leave_url(membership.space), follow=True)
    assert "You are this space&#x27;s only host." in response.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_only_host_leaving_with_htmx_gets_the_reason_in_the_fragment(client: Client) -> None:
    membership = MembershipFactory(role=SpaceRole.HOST)
    client.force_login(membership.member)
    response = client.post(leave_url(membership.space), **HTMX)
    html = response.content.decode()
    assert html.startswith('<div id="space-actions"')
    assert "You are this space&#x27;s only host." in html
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_join_and_leave_forms_carry_a_csrf_token(client: Client) -> None:
    space = SpaceFactory(access_type=AccessType.OPEN)
    client.force_login(MemberFactory())
    html = client.get(reverse("spaces:space-detail", args=[space.slug])).content.decode()
    assert "csrfmiddlewaretoken" in html
