import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from kizuna.core.models import AuditEntry
from kizuna.customers.models import CustomerAccount
from kizuna.customers.tests.factories import CustomerAccountFactory, make_customer
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import MemberFactory, StaffFactory

pytestmark = pytest.mark.django_db
URL = reverse("staff:staff-members")


@pytest.fixture
def admin(client: Client) -> Member:
    staff: Member = StaffFactory(staff_role="administrator", display_name="管理者")
    client.force_login(staff)
    return staff


def listed(client: Client, **params: str) -> list[Member]:
    response = client.get(URL, params)
    assert response.status_code == 200
    return list(response.context["page"].object_list)


def test_searches_name_email_and_company(client: Client, admin: Member) -> None:
    hanako: Member = MemberFactory(display_name="山田 花子")
    taro: Member = MemberFactory(email="taro@acme.co.jp")
    jiro: Member = MemberFactory(company_name="株式会社アクメ")
    MemberFactory(display_name="関係ない人")
    assert listed(client, q="花子") == [hanako]
    assert listed(client, q="acme.co") == [taro]
    assert listed(client, q="アクメ") == [jiro]


def test_filters_by_staff_role(client: Client, admin: Member) -> None:
    csm: Member = StaffFactory(staff_role="csm")
    MemberFactory()
    assert listed(client, staff_role="csm") == [csm]
    assert set(listed(client, staff_role="any")) == {admin, csm}
    assert admin not in listed(client, staff_role="none")


def test_filters_by_customer_status(client: Client, admin: Member) -> None:
    customer = make_customer()
    churned = make_customer(account=CustomerAccountFactory(status=CustomerAccount.Status.CHURNED))
    outsider = MemberFactory()
    assert listed(client, customer_status="customer") == [customer]
    assert listed(client, customer_status="churned") == [churned]
    assert set(listed(client, customer_status="not_customer")) == {admin, outsider}


def test_unknown_filter_values_are_ignored(client: Client, admin: Member) -> None:
    MemberFactory()
    assert len(listed(client, staff_role="pirate", page="x")) == 2


def test_list_is_paginated(client: Client, admin: Member) -> None:
    MemberFactory.create_batch(30)
    response = client.get(URL)
    assert len(response.context["page"].object_list) == 25
    assert response.context["page"].paginator.num_pages == 2
    assert len(client.get(URL, {"page": 2}).context["page"].object_list) == 6


def test_list_queries_do_not_grow_with_members(
    client: Client, admin: Member, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    for _ in range(3):
        make_customer()
    with django_assert_num_queries(5):  # session, member, TOTP check, count, page
        client.get(URL)
    for _ in range(10):
        make_customer()
    MemberFactory.create_batch(5)
    with django_assert_num_queries(5):
        client.get(URL)


def test_empty_result_shows_an_empty_state(client: Client, admin: Member) -> None:
    response = client.get(URL, {"q": "誰もいない"})
    assert "empty-state" in response.content.decode()


def test_administrator_changes_a_role_with_a_reason_and_it_is_audited(
    client: Client, admin: Member
) -> None:
    member = MemberFactory()
    url = reverse("staff:staff-member-role", args=[member.pk])
    response = client.post(url, {"role": "csm", "reason": "新しいCSMとして着任"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.staff_role == "csm"
    entry = AuditEntry.objects.get(action="staff_role.changed")
    assert entry.actor == admin
    assert entry.target_id == str(member.pk)
    assert entry.reason == "新しいCSMとして着任"
    assert entry.details == {"from": "", "to": "csm"}


def test_role_change_without_a_reason_is_refused_and_changes_nothing(
    client: Client, admin: Member
) -> None:
    member = MemberFactory()
    response = client.post(
        reverse("staff:staff-member-role", args=[member.pk]), {"role": "csm", "reason": ""}
    )
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["reason"]
    assert response.context["form"]["role"].value() == "csm"
    member.refresh_from_db()
    assert member.staff_role == ""
    assert not AuditEntry.objects.exists()


def test_administrator_cannot_remove_their_own_role(client: Client, admin: Member) -> None:
    response = client.post(
        reverse("staff:staff-member-role", args=[admin.pk]), {"role": "", "reason": "辞める"}
    )
    assert response.status_code == 400
    assert "role" in response.context["form"].errors
    admin.refresh_from_db()
    assert admin.staff_role == "administrator"


def test_staff_without_manage_staff_roles_cannot_change_roles(client: Client) -> None:
    client.force_login(StaffFactory(staff_role="community_manager"))
    member = MemberFactory()
    url = reverse("staff:staff-member-role", args=[member.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"role": "administrator", "reason": "x"}).status_code == 403
    member.refresh_from_db()
    assert member.staff_role == ""
    assert not AuditEntry.objects.exists()
