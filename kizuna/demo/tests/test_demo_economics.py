"""The demo's customer economics look like a real vendor's book (issue 12, item 9)."""

import pytest
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
from kizuna.customers.tiers import tier_for
from kizuna.demo import data
from kizuna.plays.models import Play, PlayStatus
from kizuna.segments.models import Segment
from kizuna.segments.selectors import count
from kizuna.success.selectors import count_signal_accounts

pytestmark = pytest.mark.django_db


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
