"""The five kinds of community-touch play (seed 004, DOMAIN §3–§4) and the thresholds each uses.

A play rule is data (kizuna.plays.models.PlayRule): its kind says what it looks for, its typed
threshold columns say how far. Not every kind uses every column; `THRESHOLDS` lists those each
kind reads, with the words the rules page and the API give them for that kind.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise


class PlayKind(models.TextChoices):
    NO_AMBASSADOR = "no_ambassador", _("No member in the ambassador programme")
    NO_RECENT_EVENT = "no_recent_event", _("No event attended lately")
    CONTACTS_NOT_JOINED = "contacts_not_joined", _("Contacts have not joined the community")
    CHAMPION_INACTIVE = "champion_inactive", _("A champion has gone quiet")
    RENEWAL_ENGAGEMENT_FALLING = (
        "renewal_engagement_falling",
        _("Renewal coming with falling engagement"),
    )


@dataclass(frozen=True)
class Threshold:
    """One threshold column as a kind uses it: its label, help, bounds and whether it may be empty."""

    field: str
    label: StrOrPromise
    help_text: StrOrPromise = ""
    minimum: int = 1
    maximum: int = 3650
    required: bool = True


THRESHOLDS: dict[str, tuple[Threshold, ...]] = {
    PlayKind.NO_AMBASSADOR: (),
    PlayKind.NO_RECENT_EVENT: (
        Threshold(
            "days",
            _("Days without an event attended"),
            _("A play opens when nobody at the account has attended an event in this many days."),
        ),
    ),
    PlayKind.CONTACTS_NOT_JOINED: (
        Threshold(
            "percentage",
            _("Open while fewer than this share of contacts has joined (%)"),
            _(
                "Leave it empty to open a play only while none of the account's contacts has joined."
            ),
            minimum=1,
            maximum=100,
            required=False,
        ),
    ),
    PlayKind.CHAMPION_INACTIVE: (
        Threshold(
            "days",
            _("Days without activity"),
            _("A champion with no activity in this many days gets a play."),
        ),
        Threshold(
            "window_days",
            _("Leader contributions counted over (days)"),
            _("Posts, answers, accepted answers and talks in this many days make a leader."),
        ),
        Threshold(
            "minimum",
            _("Contributions that make a leader"),
            _("Active ambassadors count as champions whatever they have contributed."),
            maximum=1000,
        ),
    ),
    PlayKind.RENEWAL_ENGAGEMENT_FALLING: (
        Threshold(
            "days",
            _("Renewal within (days)"),
            _("Accounts whose renewal date falls within this many days from today."),
        ),
        Threshold(
            "window_days",
            _("Compare activity over (days)"),
            _("The last this-many days are compared with the same number of days before them."),
            maximum=365,
        ),
        Threshold(
            "percentage",
            _("Drop in activity of at least (%)"),
            minimum=1,
            maximum=100,
        ),
    ),
}

# Kinds with a switch between two conditions: the low-touch rule reads events or any activity.
USES_ANY_ACTIVITY = frozenset({PlayKind.NO_RECENT_EVENT})
# Kinds that open one play per member rather than per account.
PER_MEMBER = frozenset({PlayKind.CHAMPION_INACTIVE})
