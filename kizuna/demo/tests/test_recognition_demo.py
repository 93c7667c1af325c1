"""The demo community's recognition: consistent ledger, levels, rewards, badges, idempotent loads.

Loading the demo pays hundreds of activities through the real services, so the module loads
it once, inside a transaction that is rolled back at the end; each test runs in a savepoint.
"""

from collections.abc import Iterator
from io import StringIO
from typing import NamedTuple

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Sum
from django.test import TestCase, override_settings
from pytest_django import DjangoDbBlocker

from kizuna.badges.models import BadgeAward, BadgeKind
from kizuna.core.models import AuditEntry
from kizuna.demo import data
from kizuna.demo.recognition import (
    CUSTOMER_LOGIN_POINTS,
    MIGRATION_REASON,
    REWARDS,
    _Builder,
)
from kizuna.gamification.models import EntryKind, LedgerEntry, Level, MemberBalance
from kizuna.gamification.selectors import level_for_points, list_levels
from kizuna.gamification.services import (
    award_pending_activities,
    award_signed_up,
    recompute_points,
)
from kizuna.identity.models import Member
from kizuna.identity.services import profile_completion
from kizuna.notifications.models import EmailChannel, Notification
from kizuna.notifications.selectors import RECOGNITION_KINDS
from kizuna.rewards.models import HOLDING_STATUSES, Redemption, RedemptionStatus, Reward
from kizuna.spaces.models import Invitation, Membership

pytestmark = pytest.mark.django_db

SEED = 7


class DemoLoad(NamedTuple):
    output: str
    emails_sent: int


@pytest.fixture(scope="module")
def load_output(
    django_db_setup: None,
    django_db_blocker: DjangoDbBlocker,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[DemoLoad]:
    # The photos the demo draws go to a folder of this module, never the developer's var/media.
    media = override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("media")))
    with media, django_db_blocker.unblock(), transaction.atomic():
        out = StringIO()
        # The notices are made when the load commits; run them as that commit would.
        with TestCase.captureOnCommitCallbacks(execute=True):
            call_command("load_demo", "--seed", str(SEED), "--volume", "small", stdout=out)
        yield DemoLoad(out.getvalue(), len(mail.outbox))
        transaction.set_rollback(True)


def recognition_snapshot() -> tuple[
    int, list[tuple[int, int, int]], int, int, int, list[int | None]
]:
    return (
        LedgerEntry.objects.count(),
        list(
            MemberBalance.objects.order_by("member_id").values_list(
                "member_id", "balance", "lifetime_points"
            )
        ),
        Redemption.objects.count(),
        BadgeAward.objects.count(),
        Member.objects.exclude(photo="").count(),
        list(Reward.objects.order_by("pk").values_list("stock", flat=True)),
    )


def test_the_load_command_reports_the_recognition_it_loaded(load_output: DemoLoad) -> None:
    assert "recognition (" in load_output.output
    assert f"{len(REWARDS)} rewards" in load_output.output


def test_demo_members_hear_of_their_recognition_in_the_bell_and_get_no_mail(
    load_output: DemoLoad,
) -> None:
    notices = Notification.objects.filter(kind__in=RECOGNITION_KINDS)
    assert set(notices.values_list("kind", flat=True)) == set(RECOGNITION_KINDS)
    assert set(notices.values_list("email_channel", flat=True)) == {EmailChannel.OFF}
    assert load_output.emails_sent == 0


def test_every_balance_equals_the_sum_of_its_ledger(load_output: DemoLoad) -> None:
    sums = dict(
        LedgerEntry.objects.values("member_id")
        .annotate(total=Sum("amount"))
        .values_list("member_id", "total")
    )
    earned = dict(
        LedgerEntry.objects.filter(
            kind__in=[EntryKind.AWARD, EntryKind.REVERSAL, EntryKind.ADJUSTMENT]
        )
        .values("member_id")
        .annotate(total=Sum("amount"))
        .values_list("member_id", "total")
    )
    balances = list(MemberBalance.objects.values_list("member_id", "balance", "lifetime_points"))
    assert len(balances) >= 300
    for member_id, balance, lifetime in balances:
        assert balance == sums[member_id] >= 0
        assert lifetime == earned[member_id]


def test_the_forum_activity_is_paid_as_the_current_rules_say(load_output: DemoLoad) -> None:
    paid = LedgerEntry.objects.filter(activity_id__isnull=False, kind=EntryKind.AWARD)
    assert set(paid.values_list("rule__key", flat=True)) >= {
        "asked_question",
        "answered",
        "answer_accepted",
        "accepted_an_answer",
        "like_received",
        "case_study_published",
    }
    assert recompute_points(dry_run=True) == []


def test_every_member_has_sign_up_points_dated_when_they_joined(load_output: DemoLoad) -> None:
    sign_ups = LedgerEntry.objects.filter(rule__key="signed_up").select_related("member")
    assert sign_ups.count() == Member.objects.count()
    assert all(entry.created_at == entry.member.date_joined for entry in sign_ups)


def test_members_with_a_photo_completed_their_profile_and_were_paid_for_it(
    load_output: DemoLoad,
) -> None:
    with_photo = Member.objects.exclude(photo="")
    complete = [m for m in with_photo if profile_completion(m)["percent"] == 100]
    assert len(complete) >= 60
    paid = set(
        LedgerEntry.objects.filter(rule__key="profile_completed").values_list(
            "member_id", flat=True
        )
    )
    assert paid == {m.pk for m in complete}
    badge_holders = set(
        BadgeAward.objects.filter(badge__slug="profile-complete").values_list(
            "member_id", flat=True
        )
    )
    assert badge_holders == paid


def test_members_are_spread_over_every_level(load_output: DemoLoad) -> None:
    levels = list_levels()
    reached = [
        level_for_points(points, levels)
        for points in MemberBalance.objects.values_list("lifetime_points", flat=True)
    ]
    per_level = {level.threshold: reached.count(level) for level in Level.objects.all()}
    assert per_level[0] > per_level[100] > per_level[500] > per_level[1500] >= 3


def test_migrated_standing_is_an_audited_staff_adjustment_with_its_reason(
    load_output: DemoLoad,
) -> None:
    adjustments = LedgerEntry.objects.filter(kind=EntryKind.ADJUSTMENT)
    assert adjustments.count() >= 60
    assert set(adjustments.values_list("reason", flat=True)) == {MIGRATION_REASON}
    audited = AuditEntry.objects.filter(action="gamification.points_adjusted")
    assert audited.count() == adjustments.count()
    assert set(audited.values_list("actor__email", flat=True)) == {data.STAFF[0].email}


def test_the_customer_login_is_gold_with_points_to_spend_and_redemptions(
    load_output: DemoLoad,
) -> None:
    member = Member.objects.get(email=data.CUSTOMER_LOGIN.email)
    balance = MemberBalance.objects.get(member=member)
    assert balance.lifetime_points == CUSTOMER_LOGIN_POINTS
    assert level_for_points(balance.lifetime_points, list_levels()).name_en == "Gold"
    cheapest = min(spec.cost_points for spec in REWARDS)
    assert balance.balance >= cheapest
    statuses = set(Redemption.objects.filter(member=member).values_list("status", flat=True))
    assert statuses == {RedemptionStatus.FULFILLED, RedemptionStatus.REQUESTED}


def test_the_catalogue_has_every_kind_and_one_needing_approval(load_output: DemoLoad) -> None:
    rewards = Reward.objects.all()
    assert rewards.count() == len(REWARDS)
    assert {r.kind for r in rewards} >= {
        "coffee_voucher",
        "service_credit",
        "swag",
        "premium_event_seat",
    }
    assert rewards.filter(requires_approval=True).exists()
    assert rewards.filter(per_member_limit__isnull=False).exists()


def test_redemptions_are_in_every_state_and_rejected_ones_are_refunded(
    load_output: DemoLoad,
) -> None:
    per_status = dict(
        Redemption.objects.values("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    for status in ("requested", "approved", "fulfilled", "rejected"):
        assert per_status.get(status, 0) >= 2, status
    for redemption in Redemption.objects.filter(status=RedemptionStatus.REJECTED):
        assert redemption.reason
        spend = LedgerEntry.objects.get(idempotency_key=redemption.spend_key)
        assert (
            LedgerEntry.objects.get(reverses=spend, kind=EntryKind.REFUND).amount
            == redemption.cost_points
        )
    for redemption in Redemption.objects.filter(status=RedemptionStatus.FULFILLED):
        assert redemption.fulfilled_at is not None and redemption.decided_by is not None


def test_stock_went_down_by_the_redemptions_that_hold_it(load_output: DemoLoad) -> None:
    for spec in REWARDS:
        reward = Reward.objects.get(name=spec.name)
        held = reward.redemptions.filter(status__in=HOLDING_STATUSES).count()
        assert reward.stock == (None if spec.stock is None else spec.stock - held)


def test_automatic_badges_are_evaluated_and_staff_awards_carry_a_reason(
    load_output: DemoLoad,
) -> None:
    automatic = BadgeAward.objects.filter(badge__kind=BadgeKind.AUTOMATIC)
    assert set(automatic.values_list("badge__slug", flat=True)) >= {
        "first-answer",
        "first-question",
        "case-study-author",
        "one-year-member",
    }
    staff_awarded = BadgeAward.objects.filter(badge__kind=BadgeKind.STAFF_AWARDED)
    assert 1 <= staff_awarded.count() <= 2
    assert all(award.reason and award.awarded_by for award in staff_awarded)


def test_second_load_adds_nothing(load_output: DemoLoad) -> None:
    counts = (Member.objects.count(), Membership.objects.count(), Invitation.objects.count())
    out = StringIO()

    call_command("load_demo", "--seed", str(SEED), stdout=out)

    assert "demo already loaded" in out.getvalue()
    assert (Member.objects.count(), Membership.objects.count(), Invitation.objects.count()) == (
        counts
    )


def test_loading_the_demo_again_changes_nothing(load_output: DemoLoad) -> None:
    before = recognition_snapshot()
    out = StringIO()

    call_command("load_demo", "--seed", str(SEED), stdout=out)

    assert out.getvalue().strip() == "demo already loaded"
    assert recognition_snapshot() == before


def test_replaying_the_payments_pays_nothing_twice(load_output: DemoLoad) -> None:
    before = recognition_snapshot()
    builder = _Builder(SEED)

    builder.give_photos()
    builder.pay_activity()
    builder.pay_sign_ups()
    builder.spread_over_levels(builder.ranking(), builder.churned_member())
    while award_pending_activities() == 500:
        pass
    award_signed_up(member=Member.objects.get(email=data.CUSTOMER_LOGIN.email))

    assert recognition_snapshot() == before


def test_a_later_start_prints_only_the_logins(load_output: DemoLoad) -> None:
    out = StringIO()

    call_command("prepare_demo", "--port", "8123", stdout=out)

    printed = out.getvalue()
    assert printed.lstrip().startswith("=" * 72)
    assert "http://127.0.0.1:8123/" in printed
    assert "demo already loaded" not in printed
