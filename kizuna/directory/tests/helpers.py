from kizuna.gamification.services import adjust_points
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import StaffFactory


def give_points(member: Member, amount: int) -> None:
    """Points through the ledger service, as a staff correction (the quickest honest way)."""
    adjust_points(
        actor=StaffFactory(listed_in_directory=False, with_mfa=False),
        member=member,
        amount=amount,
        idempotency_key=f"test-{member.pk}-{amount}",
        reason="test",
    )
