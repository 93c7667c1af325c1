from django.db.models import Sum

from kizuna.gamification.models import EARNING_KINDS, LedgerEntry, MemberBalance


def assert_balances_match_ledger() -> None:
    """Every cached balance equals the sum of its member's ledger entries."""
    for row in MemberBalance.objects.all():
        entries = LedgerEntry.objects.filter(member_id=row.member_id)
        total = entries.aggregate(total=Sum("amount"))["total"] or 0
        earned = entries.filter(kind__in=EARNING_KINDS).aggregate(total=Sum("amount"))["total"]
        assert row.balance == total
        assert row.lifetime_points == (earned or 0)
