import time
from io import StringIO

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.management import call_command

from kizuna.customers.models import CustomerAccount
from kizuna.customers.selectors import is_customer
from kizuna.demo import data
from kizuna.identity.models import Member
from kizuna.identity.roles import StaffRole
from kizuna.spaces.models import AccessType, Invitation, JoinRequest, Membership, Space
from kizuna.spaces.permissions import get_space_access

pytestmark = pytest.mark.django_db


def test_demo_has_about_forty_accounts_some_churned(demo: None) -> None:
    assert CustomerAccount.objects.count() >= 40
    assert CustomerAccount.objects.filter(status=CustomerAccount.Status.CHURNED).count() == (
        data.CHURNED_COMPANY_COUNT
    )


def test_demo_has_three_hundred_members_and_staff_in_every_role_with_two_csms(demo: None) -> None:
    assert Member.objects.count() >= 300
    staff_roles = list(Member.objects.exclude(staff_role="").values_list("staff_role", flat=True))
    assert sorted(staff_roles) == sorted([*StaffRole.values, StaffRole.CSM])


def test_demo_has_every_access_type_and_sub_groups(demo: None) -> None:
    assert set(Space.objects.values_list("access_type", flat=True)) == set(AccessType.values)
    assert Space.objects.filter(parent__isnull=False).count() >= 3
    assert all(space.purpose and space.rules for space in Space.objects.all())


def test_demo_application_spaces_ask_questions_and_have_pending_requests(demo: None) -> None:
    for space in Space.objects.filter(access_type=AccessType.APPLICATION):
        assert space.join_questions
        pending = space.join_requests.filter(status=JoinRequest.Status.PENDING)
        assert pending.count() >= 5
        assert all(len(r.answers) == len(space.join_questions) for r in pending)


def test_demo_has_pending_accepted_and_expired_invitations(demo: None) -> None:
    statuses = [invitation.status for invitation in Invitation.objects.all()]
    assert statuses.count("pending") >= 5
    assert statuses.count("accepted") >= 5
    assert statuses.count("expired") >= 3


def test_every_demo_private_space_member_may_see_it(demo: None) -> None:
    private = Membership.objects.select_related("space", "member").filter(
        space__access_type=AccessType.PRIVATE
    )
    assert private.exists()
    assert all(get_space_access(m.member, m.space).can_view_content for m in private)


def test_demo_logins_are_a_customer_and_a_non_customer(demo: None) -> None:
    customer = Member.objects.get(email=data.CUSTOMER_LOGIN.email)
    non_customer = Member.objects.get(email=data.NON_CUSTOMER_LOGIN.email)

    assert customer.check_password(data.DEMO_PASSWORD)
    assert is_customer(customer)
    assert non_customer.check_password(data.DEMO_PASSWORD)
    assert not is_customer(non_customer)


def test_demo_staff_have_totp_with_the_printed_secret(demo: None) -> None:
    for person in data.STAFF:
        staff = Member.objects.get(email=person.email)
        assert staff.staff_role == person.staff_role
        assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists()


def test_demo_logins_prints_the_url_and_a_current_totp_code(demo: None) -> None:
    out = StringIO()
    call_command("demo_logins", "--port", "8123", stdout=out)
    printed = out.getvalue()

    assert "http://127.0.0.1:8123/" in printed
    assert data.DEMO_PASSWORD in printed
    for person in (data.STAFF[0], data.CUSTOMER_LOGIN, data.NON_CUSTOMER_LOGIN):
        assert person.email in printed
    admin_line = next(line for line in printed.splitlines() if data.STAFF[0].totp_secret in line)
    code = admin_line.rsplit(": ", 1)[1].rstrip(")")
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD
    # The code printed a moment ago may belong to the period that just ended.
    recent_codes = {
        format_hotp_value(hotp_value(data.STAFF[0].totp_secret, c)) for c in (counter - 1, counter)
    }
    assert code in recent_codes


def test_nobody_waits_in_the_queue_of_a_space_they_are_in(demo: None) -> None:
    members = set(Membership.objects.values_list("space_id", "member_id"))
    pending = set(
        JoinRequest.objects.filter(status=JoinRequest.Status.PENDING).values_list(
            "space_id", "applicant_id"
        )
    )

    assert pending
    assert not pending & members


def test_members_of_application_spaces_came_in_through_an_approved_application(
    demo: None,
) -> None:
    admitted = Membership.objects.filter(
        space__access_type=AccessType.APPLICATION, member__staff_role=""
    )
    approved = set(
        JoinRequest.objects.filter(status=JoinRequest.Status.APPROVED).values_list(
            "space_id", "applicant_id"
        )
    )

    assert admitted.exists()
    assert set(admitted.values_list("space_id", "member_id")) == approved
    for membership in admitted:
        request = JoinRequest.objects.get(
            space=membership.space, applicant=membership.member, status="approved"
        )
        assert request.created_at < request.decided_at == membership.joined_at


def test_only_customers_are_admitted_to_the_programmes_by_application(demo: None) -> None:
    admitted = Membership.objects.filter(
        space__access_type=AccessType.APPLICATION, member__staff_role=""
    ).select_related("member")

    assert all(is_customer(m.member) for m in admitted)


def test_the_prospect_is_only_where_a_prospect_can_be(demo: None) -> None:
    prospect = Member.objects.get(email=data.NON_CUSTOMER_LOGIN.email)

    spaces = set(Membership.objects.filter(member=prospect).values_list("space__access_type"))
    assert spaces == {(AccessType.OPEN,)}
    assert not JoinRequest.objects.filter(applicant=prospect).exists()
    assert Invitation.objects.filter(email=prospect.email, accepted_by=None).exists()


def test_the_customer_login_waits_for_the_ambassadors_without_being_one(demo: None) -> None:
    customer = Member.objects.get(email=data.CUSTOMER_LOGIN.email)

    assert JoinRequest.objects.filter(
        applicant=customer, space__slug="ambassadors", status=JoinRequest.Status.PENDING
    ).exists()
    assert not Membership.objects.filter(member=customer, space__slug="ambassadors").exists()


def test_spaces_are_older_than_every_membership_and_application_in_them(demo: None) -> None:
    for space in Space.objects.all():
        joined = space.memberships.values_list("joined_at", flat=True)
        applied = space.join_requests.values_list("created_at", flat=True)
        assert all(space.created_at <= at for at in [*joined, *applied])
