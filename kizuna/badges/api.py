"""The badges API: the catalogue, a badge's holders and a member's badges.

It shows what the badge pages show: an award names a member, never the space, content or
reason behind it, and members who left are not listed.
"""

from typing import Any

from django.db.models import Count, Q
from django.http import Http404, HttpRequest
from ninja import Router
from ninja.pagination import paginate
from ninja.params.functions import Path as PathParam

from kizuna.badges.models import Badge, BadgeAward
from kizuna.badges.schemas import (
    BadgeHolderOut,
    BadgeHolderPageOut,
    BadgeOut,
    BadgePageOut,
    MemberBadgeOut,
    MemberBadgePageOut,
)
from kizuna.badges.selectors import (
    count_badge_holders,
    get_active_badge,
    list_active_badges,
    list_badge_holders,
)
from kizuna.core.api_errors import ERROR_RESPONSES
from kizuna.core.api_pagination import LimitOffsetPage, Rows
from kizuna.core.api_types import ID_MAX, SLUG_PATTERN
from kizuna.identity.api_auth import api_auth, get_actor
from kizuna.identity.models import ApiKey, Member
from kizuna.identity.schemas import MemberRefOut

router = Router(tags=["badges"])

READ = api_auth(ApiKey.Scope.RECOGNITION_READ)


def _badge_out(badge: Badge, holder_count: int) -> BadgeOut:
    return BadgeOut(
        slug=badge.slug,
        name=badge.name,
        name_ja=badge.name_ja,
        name_en=badge.name_en,
        description=badge.description,
        icon=badge.icon,
        kind=badge.kind,  # type: ignore[arg-type]
        holder_count=holder_count,
    )


def _counted_badges_out(badges: list[Any]) -> list[BadgeOut]:
    # Rows annotated with `holder_count`, which the model's type does not declare.
    return [_badge_out(badge, badge.holder_count) for badge in badges]


def _find_badge(badge_slug: str) -> Badge:
    badge = get_active_badge(slug=badge_slug)
    if badge is None:
        raise Http404
    return badge


def _badge_slug_param() -> Any:
    return PathParam(..., max_length=60, pattern=SLUG_PATTERN, description="The badge's slug.")


@router.get(
    "/badges",
    response={200: BadgePageOut, **ERROR_RESPONSES},
    auth=READ,
    summary="Active badges with their number of holders",
)
@paginate(LimitOffsetPage)
def list_badges(request: HttpRequest) -> Rows[Badge]:
    return Rows(list_active_badges().order_by("kind", "slug"), _counted_badges_out)


@router.get(
    "/badges/{badge_slug}",
    response={200: BadgeOut, **ERROR_RESPONSES},
    auth=READ,
    summary="One active badge",
)
def get_badge(request: HttpRequest, badge_slug: str = _badge_slug_param()) -> BadgeOut:
    badge = _find_badge(badge_slug)
    return _badge_out(badge, count_badge_holders(badge))


@router.get(
    "/badges/{badge_slug}/holders",
    response={200: BadgeHolderPageOut, **ERROR_RESPONSES},
    auth=READ,
    summary="Who holds a badge, newest first",
)
@paginate(LimitOffsetPage)
def list_holders(request: HttpRequest, badge_slug: str = _badge_slug_param()) -> Rows[BadgeAward]:
    """Members who list themselves in the directory, each with their public name, company and
    the award's date."""
    return Rows(
        list_badge_holders(_find_badge(badge_slug), get_actor(request)),
        lambda awards: [
            BadgeHolderOut(
                member=MemberRefOut.of(award.member),
                company_name=award.member.public_company_name,
                awarded_at=award.created_at,
            )
            for award in awards
        ],
    )


@router.get(
    "/recognition/members/{member_id}/badges",
    response={200: MemberBadgePageOut, **ERROR_RESPONSES},
    auth=READ,
    summary="An active member's badges, newest first (as their profile shows them)",
)
@paginate(LimitOffsetPage)
def member_badges(
    request: HttpRequest,
    member_id: int = PathParam(..., ge=1, le=ID_MAX, description="The member's id."),
) -> Rows[BadgeAward]:
    if not Member.objects.filter(pk=member_id, is_active=True).exists():
        raise Http404
    awards = (
        BadgeAward.objects.filter(member_id=member_id, badge__is_active=True)
        .select_related("badge")
        .annotate(
            holder_count=Count(
                "badge__awards", filter=Q(badge__awards__member__is_active=True), distinct=True
            )
        )
        .order_by("-created_at", "-id")
    )
    return Rows(awards, _member_badges_out)


def _member_badges_out(awards: list[Any]) -> list[MemberBadgeOut]:
    # Rows annotated with `holder_count`, which the model's type does not declare.
    return [
        MemberBadgeOut(
            badge=_badge_out(award.badge, award.holder_count), awarded_at=award.created_at
        )
        for award in awards
    ]
