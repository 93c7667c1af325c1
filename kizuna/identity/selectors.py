"""Reads shared by the member and staff pages (and later the API)."""

import datetime
from typing import Any

from django.db.models import Q, QuerySet

from kizuna.core.models import AuditEntry
from kizuna.identity.models import ApiKey, Member
from kizuna.identity.permissions import Viewer, profiles_visible_to

ANY_STAFF = "any"
NOT_STAFF = "none"


class CustomerFilter:
    CUSTOMER = "customer"
    CHURNED = "churned"
    NOT_CUSTOMER = "not_customer"


def get_visible_member(viewer: Viewer, *, pk: int) -> Member | None:
    """The member whose profile the viewer may open, with its interests; None, as if missing."""
    return profiles_visible_to(viewer).prefetch_related("interests").filter(pk=pk).first()


def list_members_for_staff(
    *, query: str = "", staff_role: str = "", customer_status: str = ""
) -> QuerySet[Member]:
    """Members for the staff console, with their customer account loaded in the same query."""
    members = Member.objects.select_related("account_link__account")
    if query := query.strip():
        members = members.filter(
            Q(email__icontains=query)
            | Q(display_name__icontains=query)
            | Q(company_name__icontains=query)
        )
    if staff_role == ANY_STAFF:
        members = members.exclude(staff_role="")
    elif staff_role == NOT_STAFF:
        members = members.filter(staff_role="")
    elif staff_role:
        members = members.filter(staff_role=staff_role)
    if customer_status == CustomerFilter.CUSTOMER:
        members = members.filter(account_link__account__status="active")
    elif customer_status == CustomerFilter.CHURNED:
        members = members.filter(account_link__account__status="churned")
    elif customer_status == CustomerFilter.NOT_CUSTOMER:
        members = members.filter(account_link__isnull=True)
    return members.order_by("display_name", "email", "pk")


def list_api_keys() -> QuerySet[ApiKey]:
    return ApiKey.objects.select_related("created_by", "revoked_by").order_by(
        "revoked_at", "-created_at", "-pk"
    )


def list_audit_entries(
    *,
    action: str = "",
    actor: str = "",
    target_type: str = "",
    since: datetime.datetime | None = None,
    until: datetime.datetime | None = None,
) -> QuerySet[AuditEntry]:
    """Audit entries, newest first; `actor` matches an email or display name, `until` is exclusive."""
    entries = AuditEntry.objects.select_related("actor")
    if action:
        entries = entries.filter(action=action)
    if actor := actor.strip():
        entries = entries.filter(
            Q(actor__email__icontains=actor) | Q(actor__display_name__icontains=actor)
        )
    if target_type:
        entries = entries.filter(target_type=target_type)
    if since is not None:
        entries = entries.filter(created_at__gte=since)
    if until is not None:
        entries = entries.filter(created_at__lt=until)
    return entries.order_by("-created_at", "-id")


def audit_filter_choices() -> dict[str, list[Any]]:
    """The actions and target types that occur in the log, for the filter menus."""
    return {
        "actions": list(
            AuditEntry.objects.order_by("action").values_list("action", flat=True).distinct()
        ),
        "target_types": list(
            AuditEntry.objects.order_by("target_type")
            .values_list("target_type", flat=True)
            .distinct()
        ),
    }


def count_members() -> dict[str, int]:
    return {
        "members": Member.objects.filter(is_active=True).count(),
        "staff": Member.objects.filter(is_active=True).exclude(staff_role="").count(),
        "active_api_keys": ApiKey.objects.filter(revoked_at__isnull=True).count(),
    }
