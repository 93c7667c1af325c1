import uuid
from datetime import datetime

from kizuna.content.models import Post
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import StaffFactory
from kizuna.rewards.models import Redemption, RedemptionStatus
from kizuna.rewards.services import approve_redemption, fulfil_redemption, redeem_reward
from kizuna.rewards.tests.factories import RewardFactory, give_points


def make_redemption(member: Member, status: str = RedemptionStatus.REQUESTED) -> Redemption:
    """A redemption brought to `status` through the rewards services."""
    give_points(member, 100)
    redemption = redeem_reward(
        member=member,
        reward=RewardFactory(cost_points=100, requires_approval=True),
        idempotency_key=uuid.uuid4().hex,
    )
    if status in (RedemptionStatus.APPROVED, RedemptionStatus.FULFILLED):
        staff = StaffFactory(staff_role="community_manager")
        redemption = approve_redemption(actor=staff, redemption=redemption)
        if status == RedemptionStatus.FULFILLED:
            redemption = fulfil_redemption(actor=staff, redemption=redemption)
    return redemption


def date_post(post: Post, when: datetime) -> Post:
    """Move a post in time (created_at is stamped on insert)."""
    Post.objects.filter(pk=post.pk).update(created_at=when, last_activity_at=when)
    post.refresh_from_db()
    return post
