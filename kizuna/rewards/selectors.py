"""Reads of the rewards catalog shared by the pages (and later the API)."""

from django.db.models import QuerySet

from kizuna.identity.models import Member
from kizuna.rewards.models import Redemption, Reward


def list_catalog_rewards() -> QuerySet[Reward]:
    """Rewards members can see: the active ones, cheapest first."""
    return Reward.objects.filter(is_active=True).order_by("cost_points", "name", "id")


def list_all_rewards() -> QuerySet[Reward]:
    """Every reward, for the staff pages, newest first."""
    return Reward.objects.order_by("-created_at", "-id")


def redemptions_for_member(member: Member) -> QuerySet[Redemption]:
    """A member's own redemptions, newest first."""
    return (
        Redemption.objects.filter(member=member)
        .select_related("reward")
        .order_by("-created_at", "-id")
    )


def redemption_queue(*, status: str = "", reward_id: int | None = None) -> QuerySet[Redemption]:
    """Redemptions for staff, oldest first so the queue is worked in order; filters optional."""
    queryset = Redemption.objects.select_related("reward", "member", "decided_by")
    if status:
        queryset = queryset.filter(status=status)
    if reward_id is not None:
        queryset = queryset.filter(reward_id=reward_id)
    return queryset.order_by("created_at", "id")
