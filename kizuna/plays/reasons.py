"""Why a play is due, in words: built at display time from the rule's kind and what the rule
found (the play's params), so each reader gets it in their own language."""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kizuna.customers.models import TouchTier
from kizuna.plays.kinds import PlayKind


def _int(params: Mapping[str, Any], key: str) -> int:
    value = params.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _date(params: Mapping[str, Any], key: str) -> str:
    value = params.get(key)
    return value if isinstance(value, str) and value else ""


def _no_ambassador(params: Mapping[str, Any]) -> str:
    tier = params.get("tier")
    if tier in TouchTier.values:
        return _("%(tier)s account, but no member is in the ambassador programme") % {
            "tier": TouchTier(tier).label
        }
    return _("No member of this account is in the ambassador programme")


def _no_recent_event(params: Mapping[str, Any]) -> str:
    days, last = _int(params, "days"), _date(params, "last")
    if params.get("any_activity"):
        if last:
            return ngettext(
                "No activity by anyone at this account in the last %(days)s day (last: %(date)s)",
                "No activity by anyone at this account in the last %(days)s days (last: %(date)s)",
                days,
            ) % {"days": days, "date": last}
        return ngettext(
            "No activity by anyone at this account in the last %(days)s day (none so far)",
            "No activity by anyone at this account in the last %(days)s days (none so far)",
            days,
        ) % {"days": days}
    if last:
        return ngettext(
            "No event attended by anyone at this account in the last %(days)s day (last: %(date)s)",
            "No event attended by anyone at this account in the last %(days)s days "
            "(last: %(date)s)",
            days,
        ) % {"days": days, "date": last}
    return ngettext(
        "No event attended by anyone at this account in the last %(days)s day (none so far)",
        "No event attended by anyone at this account in the last %(days)s days (none so far)",
        days,
    ) % {"days": days}


def _contacts_not_joined(params: Mapping[str, Any]) -> str:
    contacts, joined = _int(params, "contacts"), _int(params, "joined")
    if not joined:
        return ngettext(
            "The account's %(contacts)s contact has not joined the community",
            "None of the account's %(contacts)s contacts has joined the community",
            contacts,
        ) % {"contacts": contacts}
    percent = joined * 100 // contacts if contacts else 0
    return ngettext(
        "Only %(joined)s of the account's %(contacts)s contact has joined the community "
        "(%(percent)s%%)",
        "Only %(joined)s of the account's %(contacts)s contacts have joined the community "
        "(%(percent)s%%)",
        contacts,
    ) % {"joined": joined, "contacts": contacts, "percent": percent}


def _champion_inactive(params: Mapping[str, Any], member_name: str) -> str:
    days, last = _int(params, "days"), _date(params, "last")
    values = {"member": member_name or "—", "days": days, "date": last or "—"}
    if params.get("ambassador") and not last:
        return _("Ambassador %(member)s has had no activity in the community yet") % values
    if params.get("ambassador"):
        return (
            ngettext(
                "Ambassador %(member)s has had no activity for %(days)s day (last: %(date)s)",
                "Ambassador %(member)s has had no activity for %(days)s days (last: %(date)s)",
                days,
            )
            % values
        )
    values["output"] = _int(params, "output")
    values["window"] = _int(params, "window_days")
    return (
        ngettext(
            "%(member)s, a leader (contributions in the last %(window)s days: %(output)s), has had "
            "no activity for %(days)s day (last: %(date)s)",
            "%(member)s, a leader (contributions in the last %(window)s days: %(output)s), has had "
            "no activity for %(days)s days (last: %(date)s)",
            days,
        )
        % values
    )


def _renewal_engagement_falling(params: Mapping[str, Any]) -> str:
    window = _int(params, "window_days")
    return ngettext(
        "Renews on %(date)s, and activity in the last %(window)s day fell %(drop)s%% on the "
        "%(window)s day before (%(previous)s → %(recent)s)",
        "Renews on %(date)s, and activity in the last %(window)s days fell %(drop)s%% on the "
        "%(window)s days before (%(previous)s → %(recent)s)",
        window,
    ) % {
        "date": _date(params, "renewal") or "—",
        "window": window,
        "drop": _int(params, "drop"),
        "previous": _int(params, "previous"),
        "recent": _int(params, "recent"),
    }


def reason_sentence(kind: str, params: Mapping[str, Any], *, member_name: str = "") -> str:
    """The reason a play of `kind` with these params is due, in the active language."""
    if kind == PlayKind.NO_AMBASSADOR:
        return _no_ambassador(params)
    if kind == PlayKind.NO_RECENT_EVENT:
        return _no_recent_event(params)
    if kind == PlayKind.CONTACTS_NOT_JOINED:
        return _contacts_not_joined(params)
    if kind == PlayKind.CHAMPION_INACTIVE:
        return _champion_inactive(params, member_name)
    if kind == PlayKind.RENEWAL_ENGAGEMENT_FALLING:
        return _renewal_engagement_falling(params)
    return str(kind)
