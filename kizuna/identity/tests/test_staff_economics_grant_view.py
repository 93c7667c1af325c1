"""On the staff role page an administrator shows customer economics to one staff member whose
role does not see them, or withdraws them again; each change is audited with its reason."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from kizuna.core.models import AuditEntry
from kizuna.identity.models import Member
from kizuna.identity.roles import Capability
from kizuna.identity.services import set_granted_capability
from kizuna.identity.tests.factories import MemberFactory, StaffFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
ECONOMICS = Capability.VIEW_ACCOUNT_ECONOMICS


@pytest.fixture
def admin(client: Client) -> Member:
    staff: Member = StaffFactory(staff_role="administrator")
    client.force_login(staff)
    return staff


def role_page(member: Member) -> str:
    return reverse("staff:staff-member-role", args=[member.pk])


def test_an_administrator_grants_a_marketer_the_economics_with_a_reason(
    client: Client, admin: Member
) -> None:
    marketer: Member = StaffFactory(staff_role="marketing")
    assert not marketer.has_capability(ECONOMICS)
    page = client.get(role_page(marketer)).content.decode()
    assert "Grant customer economics" in page

    response = client.post(
        role_page(marketer), {"grant_action": "grant", "grant_reason": "四半期の売上報告"}
    )

    assert response.status_code == 302
    marketer.refresh_from_db()
    assert marketer.granted_capabilities == ["view_account_economics"]
    assert marketer.has_capability(ECONOMICS)
    entry = AuditEntry.objects.get(action="staff_capability.granted")
    assert (entry.actor, entry.target_id, entry.reason) == (
        admin,
        str(marketer.pk),
        "四半期の売上報告",
    )
    assert "Withdraw customer economics" in client.get(role_page(marketer)).content.decode()


def test_withdrawing_hides_the_economics_again(client: Client, admin: Member) -> None:
    marketer: Member = StaffFactory(
        staff_role="marketing", granted_capabilities=["view_account_economics"]
    )
    response = client.post(
        role_page(marketer), {"grant_action": "withdraw", "grant_reason": "担当替え"}
    )
    assert response.status_code == 302
    marketer.refresh_from_db()
    assert marketer.granted_capabilities == []
    assert not marketer.has_capability(ECONOMICS)
    assert AuditEntry.objects.filter(action="staff_capability.withdrawn").count() == 1


def test_a_grant_without_a_reason_is_a_field_error_and_changes_nothing(
    client: Client, admin: Member
) -> None:
    marketer: Member = StaffFactory(staff_role="marketing")
    response = client.post(role_page(marketer), {"grant_action": "grant", "grant_reason": " "})
    assert response.status_code == 400
    assert list(response.context["grant_form"].errors) == ["grant_reason"]
    marketer.refresh_from_db()
    assert marketer.granted_capabilities == []
    assert not AuditEntry.objects.exists()


def test_a_role_that_sees_economics_offers_no_grant(client: Client, admin: Member) -> None:
    sales: Member = StaffFactory(staff_role="sales")
    page = client.get(role_page(sales)).content.decode()
    assert "already sees customer economics" in page
    assert "Grant customer economics" not in page
    with pytest.raises(ValidationError):
        set_granted_capability(
            actor=admin, member=sales, capability=ECONOMICS, granted=True, reason="x"
        )


def test_a_member_without_a_staff_role_cannot_be_granted(admin: Member) -> None:
    member: Member = MemberFactory()
    with pytest.raises(ValidationError):
        set_granted_capability(
            actor=admin, member=member, capability=ECONOMICS, granted=True, reason="x"
        )
    member.refresh_from_db()
    assert member.granted_capabilities == []


@pytest.mark.parametrize("role", ["csm", "community_manager", "marketing"])
def test_only_administrators_grant(role: str) -> None:
    marketer: Member = StaffFactory(staff_role="marketing")
    with pytest.raises(PermissionDenied):
        set_granted_capability(
            actor=StaffFactory(staff_role=role),
            member=marketer,
            capability=ECONOMICS,
            granted=True,
            reason="x",
        )
    marketer.refresh_from_db()
    assert marketer.granted_capabilities == []


def test_the_role_form_still_saves_roles(client: Client, admin: Member) -> None:
    member: Member = MemberFactory()
    response = client.post(role_page(member), {"role": "marketing", "reason": "広報担当"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.staff_role == "marketing"
