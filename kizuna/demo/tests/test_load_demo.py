import time
from io import StringIO

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.management import call_command
from django.db.models import Count, Sum
from django.utils import timezone

from kizuna.ambassadors.models import Ambassador
from kizuna.customers.models import (
    AccountChange,
    Contact,
    CustomerAccount,
    LifecycleStage,
    TouchTier,
)
from kizuna.customers.selectors import is_customer
from kizuna.customers.tiers import tier_for
from kizuna.demo import data
from kizuna.identity.models import Member
from kizuna.identity.roles import StaffRole
from kizuna.plays.models import Play, PlayStatus
from kizuna.segments.models import Segment
from kizuna.segments.selectors import count
from kizuna.spaces.models import AccessType, Invitation, JoinRequest, Membership, Space
from kizuna.spaces.permissions import get_space_access
from kizuna.success.selectors import count_signal_accounts

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


# The demo's customer economics look like a real vendor's book (issue 12, item 9).


def test_every_account_has_a_plan_arr_renewal_and_owner(demo: None) -> None:
    accounts = CustomerAccount.objects.all()
    assert accounts.count() == len(data.COMPANIES)
    assert not accounts.filter(plan__isnull=True).exists()
    assert not accounts.filter(arr_minor__isnull=True).exists()
    assert not accounts.filter(csm_owner__isnull=True).exists()
    assert set(accounts.values_list("csm_owner__email", flat=True)) == {
        "csm@mirai-soft.co.jp",
        "csm.enterprise@mirai-soft.co.jp",
    }


def test_arr_is_spread_a_few_large_many_small(demo: None) -> None:
    arrs = sorted(
        (arr or 0 for arr in CustomerAccount.objects.values_list("arr_minor", flat=True)),
        reverse=True,
    )
    top_four = sum(arrs[:4])
    # The four enterprise accounts carry a large share; the median account is small.
    assert top_four > sum(arrs) * 0.3
    assert arrs[len(arrs) // 2] < 5_000_000


def test_renewals_fall_across_the_coming_year(demo: None) -> None:
    today = timezone.now().date()
    renewals = CustomerAccount.objects.values_list("renewal_date", flat=True)
    assert all(today < renewal <= today.replace(year=today.year + 1) for renewal in renewals)
    assert len({renewal.month for renewal in renewals}) >= 8


def test_all_three_touch_tiers_appear_and_agree_with_the_bands(demo: None) -> None:
    counts = dict(
        CustomerAccount.objects.values("touch_tier")
        .annotate(n=Count("pk"))
        .values_list("touch_tier", "n")
    )
    assert set(counts) == set(TouchTier.values)
    for account in CustomerAccount.objects.all():
        assert account.touch_tier == tier_for(account)


def test_churned_accounts_are_in_the_churned_stage(demo: None) -> None:
    churned = CustomerAccount.objects.filter(status=CustomerAccount.Status.CHURNED)
    assert churned.count() == data.CHURNED_COMPANY_COUNT
    assert set(churned.values_list("lifecycle_stage", flat=True)) == {LifecycleStage.CHURNED}


def test_every_member_is_a_contact_and_the_crm_knows_people_who_have_not_joined(demo: None) -> None:
    assert Contact.objects.filter(member__isnull=False).count() > 200
    assert Contact.objects.filter(member__isnull=True).count() >= len(data.COMPANIES)


def test_the_customer_logins_company_shows_an_upsell_in_its_history(demo: None) -> None:
    account = CustomerAccount.objects.get(name=data.COMPANIES[0].name)
    raised = AccountChange.objects.get(account=account, field="arr_minor", source="form")
    assert int(raised.new_value) - int(raised.old_value) == 1_440_000
    assert raised.changed_by.email == "csm@mirai-soft.co.jp"
    assert account.is_strategic and account.touch_tier == TouchTier.HIGH
    total = CustomerAccount.objects.aggregate(total=Sum("arr_minor"))["total"]
    assert total > 100_000_000


def test_open_plays_with_reasons_some_worked_and_never_on_churned_accounts(demo: None) -> None:
    assert Play.objects.filter(status=PlayStatus.OPEN).count() >= 5
    assert Play.objects.filter(status=PlayStatus.DONE).exists()
    assert Play.objects.filter(status=PlayStatus.SNOOZED).exists()
    assert not Play.objects.filter(account__status=CustomerAccount.Status.CHURNED).exists()
    assert len(set(Play.objects.values_list("rule__kind", flat=True))) >= 3


def test_two_saved_segments_that_match_someone(demo: None) -> None:
    segments = list(Segment.objects.order_by("pk"))
    assert len(segments) == 2
    assert all(count(segment) > 0 for segment in segments)


def test_high_touch_accounts_with_an_ambassador_have_no_ambassador_play(demo: None) -> None:
    with_ambassador = set(
        Ambassador.objects.values_list("member__account_link__account_id", flat=True)
    )
    assert len(with_ambassador) == 3
    assert not Play.objects.filter(
        rule__kind="no_ambassador", account_id__in=with_ambassador
    ).exists()


def test_accounts_on_smaller_plans_show_expansion_signals(demo: None) -> None:
    assert count_signal_accounts() >= 3
