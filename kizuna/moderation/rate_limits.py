"""How often a member may post, answer or flag (S3).

Its own module so that content's services can count an action before writing without
importing moderation's services (which act on content and would import it back).
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from kizuna.identity.models import Member
from kizuna.moderation.selectors import trust_level

# action -> (how many, per seconds); "<action>_new_member" applies at trust level 0.
# Override any entry with settings.KIZUNA_RATE_LIMITS; None switches a limit off.
DEFAULT_RATE_LIMITS: dict[str, tuple[int, int] | None] = {
    "post_new_member": (3, 3600),
    "post": (30, 3600),
    "answer_new_member": (10, 3600),
    "answer": (60, 3600),
    "flag": (20, 3600),
}


class RateLimitExceededError(Exception):
    """Too many actions of one kind in a window; `message` says what and when to retry."""

    def __init__(self, message: str, *, action: str, retry_after: int) -> None:
        super().__init__(message)
        self.message = message
        self.action = action
        self.retry_after = retry_after


def _rate_limit_for(member: Member, action: str) -> tuple[str, tuple[int, int] | None]:
    limits = {**DEFAULT_RATE_LIMITS, **getattr(settings, "KIZUNA_RATE_LIMITS", {})}
    new_member_key = f"{action}_new_member"
    if new_member_key in limits and trust_level(member) == 0:
        return new_member_key, limits[new_member_key]
    return action, limits.get(action)


def check_rate_limit(member: Member, action: str) -> None:
    """Count one `action` ("post", "answer", "flag") by `member`; raise RateLimitExceededError
    when it passes the limit of the current window. Call it before writing anything."""
    name, limit = _rate_limit_for(member, action)
    if limit is None:
        return
    count_allowed, seconds = limit
    now = int(time.time())
    window = now // seconds
    key = f"kizuna:rate:{name}:{member.pk}:{window}"
    # add + incr is atomic on Redis: concurrent requests never share one count.
    cache.add(key, 0, timeout=seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.set(key, 1, timeout=seconds)
        count = 1
    if count > count_allowed:
        retry_after = (window + 1) * seconds - now
        minutes = max(1, retry_after // 60)
        raise RateLimitExceededError(
            _(
                "You have reached the limit of %(count)d for this action per %(period)s. "
                "Please try again in %(minutes)d minutes."
            )
            % {"count": count_allowed, "period": _period(seconds), "minutes": minutes},
            action=action,
            retry_after=retry_after,
        )


def _period(seconds: int) -> str:
    if seconds == 3600:
        return _("hour")
    if seconds == 86400:
        return _("day")
    return _("%(seconds)d seconds") % {"seconds": seconds}
