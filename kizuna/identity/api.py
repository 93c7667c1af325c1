"""The members API: the public profile for everyone signed in, contact and account for staff."""

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from ninja import Router
from ninja.pagination import paginate
from ninja.params.functions import Path as PathParam
from ninja.params.functions import Query as QueryParam

from kizuna.core.api_errors import ERROR_RESPONSES
from kizuna.core.api_pagination import LimitOffsetPage, Rows
from kizuna.core.api_types import ID_MAX
from kizuna.identity.api_auth import api_auth, get_actor
from kizuna.identity.models import ApiKey, Member
from kizuna.identity.permissions import has_capability, profiles_listed_to, profiles_visible_to
from kizuna.identity.roles import Capability
from kizuna.identity.schemas import AccountRefOut, MemberOut, MemberPageOut, MeOut

router = Router(tags=["members"])

READ = api_auth(ApiKey.Scope.MEMBERS_READ)


def _loaded(members: QuerySet[Member]) -> QuerySet[Member]:
    return members.select_related("account_link__account").prefetch_related("interests")


def _account_of(member: Member) -> AccountRefOut | None:
    link = getattr(member, "account_link", None)
    if link is None:
        return None
    return AccountRefOut(id=link.account.pk, name=link.account.name, status=link.account.status)


def _member_fields(member: Member, *, show_customer_data: bool) -> dict[str, object]:
    return {
        "id": member.pk,
        "name": member.name,
        "display_name": member.display_name,
        "company_name": member.company_name if show_customer_data else member.public_company_name,
        "job_role": member.job_role,
        "bio": member.bio,
        "photo_url": member.photo.url if member.photo else None,
        "interests": [interest.name for interest in member.interests.all()],
        "is_staff_member": member.is_staff_member,
        "email": member.email if show_customer_data else None,
        "account": _account_of(member) if show_customer_data else None,
    }


def _member_out(member: Member, viewer: Member) -> MemberOut:
    show = has_capability(viewer, Capability.VIEW_CUSTOMER_DATA)
    return MemberOut(**_member_fields(member, show_customer_data=show))  # type: ignore[arg-type]


@router.get(
    "/members",
    response={200: MemberPageOut, **ERROR_RESPONSES},
    auth=READ,
    summary="List active members",
)
@paginate(LimitOffsetPage)
def list_members(request: HttpRequest, q: str = QueryParam("", max_length=100)) -> Rows[Member]:
    """Search by name, company or (for staff with customer-data access) email.

    Other viewers get what the member directory shows: listed members only, and a company
    only where its member shows it (searching for a hidden company finds nobody).
    """
    viewer = get_actor(request)
    sees_customer_data = has_capability(viewer, Capability.VIEW_CUSTOMER_DATA)
    visible = profiles_visible_to(viewer) if sees_customer_data else profiles_listed_to(viewer)
    members = _loaded(visible).order_by("display_name", "pk")
    query = q.replace("\x00", "").strip()
    if query:
        company_match = Q(company_name__icontains=query)
        if sees_customer_data:
            match = Q(display_name__icontains=query) | company_match | Q(email__icontains=query)
        else:
            match = Q(display_name__icontains=query) | (company_match & Q(shows_company=True))
        members = members.filter(match)
    return Rows(members, lambda page: [_member_out(member, viewer) for member in page])


@router.get(
    "/members/me",
    response={200: MeOut, **ERROR_RESPONSES},
    auth=READ,
    summary="The acting member's own profile",
)
def get_me(request: HttpRequest) -> MeOut:
    viewer = get_actor(request)
    me = _loaded(Member.objects.filter(is_active=True)).get(pk=viewer.pk)
    account = _account_of(me)
    return MeOut(
        **_member_fields(me, show_customer_data=True),  # type: ignore[arg-type]
        language=me.language,
        time_zone=me.time_zone,
        staff_role=me.staff_role,
        is_customer=bool(account and account.status == "active"),
        date_joined=me.date_joined,
    )


@router.get(
    "/members/{member_id}",
    response={200: MemberOut, **ERROR_RESPONSES},
    auth=READ,
    summary="Get a member",
)
def get_member(request: HttpRequest, member_id: int = PathParam(..., ge=1, le=ID_MAX)) -> MemberOut:
    viewer = get_actor(request)
    # A member whose profile the viewer may not open answers as a missing one does.
    member = _loaded(profiles_visible_to(viewer)).filter(pk=member_id).first()
    if member is None:
        raise Http404
    return _member_out(member, viewer)
