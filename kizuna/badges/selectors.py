"""Reads of the badges app, shared by the pages and the profile include."""

from django.db.models import Count, Q, QuerySet

from kizuna.badges.models import Badge, BadgeAward
from kizuna.identity.models import Member
from kizuna.identity.permissions import Viewer, profiles_listed_to


def list_active_badges() -> QuerySet[Badge]:
    """Active badges, each with its number of (active) holders, in one query."""
    return Badge.objects.filter(is_active=True).annotate(
        holder_count=Count("awards", filter=Q(awards__member__is_active=True))
    )


def get_active_badge(*, slug: str) -> Badge | None:
    return Badge.objects.filter(slug=slug, is_active=True).first()


def count_badge_holders(badge: Badge) -> int:
    """Everyone active who holds it, as the badge list counts them: a number names nobody."""
    return badge.awards.filter(member__is_active=True).count()


def list_badge_holders(badge: Badge, viewer: Viewer) -> QuerySet[BadgeAward]:
    """The badge's holders listed to the viewer (`profiles_listed_to`: signed-in viewers,
    members who list themselves), newest first; only their public name and company are used."""
    return (
        BadgeAward.objects.filter(badge=badge, member__in=profiles_listed_to(viewer))
        .select_related("member")
        .only(
            "created_at",
            "member__display_name",
            "member__email",
            "member__company_name",
            "member__shows_company",
        )
        .order_by("-created_at", "-id")
    )


def list_badges_of(member: Member) -> list[BadgeAward]:
    """A member's active badges with the badge loaded: one query."""
    return list(
        BadgeAward.objects.filter(member=member, badge__is_active=True)
        .select_related("badge")
        .order_by("-created_at", "-id")
    )


def list_staff_awards() -> QuerySet[BadgeAward]:
    """Awards of staff-awarded badges for the manage page, newest first."""
    return (
        BadgeAward.objects.filter(badge__kind="staff_awarded")
        .select_related("badge", "member", "awarded_by")
        .order_by("-created_at", "-id")
    )
