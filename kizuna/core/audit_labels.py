"""The audit log in words: each action code's label, each target by name with a link to it while
it exists, the details a person reads, and the CSV export.

The codes are written by every app's services (`kizuna.core.audit.record_audit`); the shared
kernel imports none of them, so targets are found by their model label through the app registry
and linked by URL name.
"""

import csv
import datetime
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from kizuna.core.models import AuditEntry

ACTION_LABELS: dict[str, StrOrPromise] = {
    "account.created": _("Customer account created"),
    "account.updated": _("Customer account updated"),
    "account.member_linked": _("Member linked to a customer account"),
    "account.member_unlinked": _("Member unlinked from a customer account"),
    "account.tier_set": _("Touch tier of a customer account set by hand"),
    "account.contact_added": _("Contact added to a customer account"),
    "account.contact_changed": _("Contact of a customer account changed"),
    "account.contact_removed": _("Contact removed from a customer account"),
    "account.list_exported": _("Customer accounts exported as CSV"),
    "ambassadors.added": _("Member added to the ambassador programme"),
    "ambassadors.retired": _("Ambassador retired from the programme"),
    "api_key.created": _("API key issued"),
    "api_key.revoked": _("API key revoked"),
    "badges.awarded": _("Badge awarded"),
    "badges.revoked": _("Badge taken back"),
    "cohorts.account_enrolled": _("Company enrolled in a learning programme"),
    "cohorts.participant_added": _("Participant added to a learning programme"),
    "cohorts.phase_opened": _("Next phase of a project map opened"),
    "cohorts.programme_created": _("Learning programme created"),
    "cohorts.programme_updated": _("Learning programme changed"),
    "content.answer_accepted": _("Best answer chosen for the asker"),
    "content.answer_unaccepted": _("Best answer withdrawn for the asker"),
    "content.answer_edited": _("Answer edited"),
    "content.knowledge_edited": _("Knowledge article edited"),
    "content.knowledge_written": _("Knowledge article written from a learning programme"),
    "content.post_edited": _("Post edited"),
    "content.promoted_to_knowledge": _("Thread made a knowledge article"),
    "contests.announced": _("Contest winners announced"),
    "crm.import_committed": _("Accounts or contacts imported from a CRM file"),
    "contests.closed": _("Contest closed"),
    "contests.created": _("Contest created"),
    "contests.opened": _("Contest opened for entries"),
    "contests.published": _("Contest published"),
    "contests.updated": _("Contest updated"),
    "contests.winners_chosen": _("Contest winners chosen"),
    "custom_field.created": _("Custom field defined"),
    "custom_field.deleted": _("Custom field deleted"),
    "custom_field.updated": _("Custom field changed"),
    "events.cancelled": _("Event cancelled"),
    "events.created": _("Event created"),
    "events.published": _("Event published"),
    "events.updated": _("Event updated"),
    "events.material_added": _("Event material added"),
    "events.material_removed": _("Event material removed"),
    "events.members_invited": _("Members invited to an event"),
    "events.speaker_added": _("Speaker added to an event"),
    "events.speaker_removed": _("Speaker removed from an event"),
    "gamification.point_rule_changed": _("Point rule changed"),
    "gamification.points_adjusted": _("Points adjusted"),
    "invitation.sent": _("Invitation to a space sent"),
    "join_request.approved": _("Application to a space approved"),
    "join_request.rejected": _("Application to a space declined"),
    "membership.added": _("Member added to a space"),
    "membership.removed": _("Member removed from a space"),
    "membership.role_changed": _("Role in a space changed"),
    "moderation.approve": _("Approved after review"),
    "moderation.auto_hold": _("Held for review after flags"),
    "moderation.block_term": _("Word or domain blocked"),
    "moderation.delete": _("Deleted by a moderator"),
    "moderation.dismiss": _("Review closed without action"),
    "moderation.edit": _("Edited by a moderator"),
    "moderation.flag": _("Flagged for review"),
    "moderation.hide": _("Hidden by a moderator"),
    "moderation.lock": _("Thread locked"),
    "moderation.move": _("Thread moved to another space"),
    "moderation.settings": _("Space moderation settings changed"),
    "moderation.suspend": _("Member suspended"),
    "moderation.unblock_term": _("Word or domain unblocked"),
    "moderation.unlock": _("Thread unlocked"),
    "moderation.warn": _("Member warned"),
    "plan.created": _("Plan added"),
    "plan.deleted": _("Plan deleted"),
    "plan.reordered": _("Plan moved in the order"),
    "plan.updated": _("Plan changed"),
    "plays.dismissed": _("Play dismissed"),
    "plays.done": _("Play marked done"),
    "plays.rule_changed": _("Play rule changed"),
    "plays.snoozed": _("Play snoozed"),
    "rewards.redemption_approved": _("Reward redemption approved"),
    "rewards.redemption_fulfilled": _("Reward handed over"),
    "rewards.redemption_rejected": _("Reward redemption declined"),
    "rewards.reward_created": _("Reward created"),
    "rewards.reward_updated": _("Reward updated"),
    "segments.created": _("Segment created"),
    "segments.deleted": _("Segment deleted"),
    "segments.exported": _("Segment exported as CSV"),
    "segments.members_invited": _("Segment invited to an event"),
    "segments.updated": _("Segment changed"),
    "space.archived": _("Space archived"),
    "space.created": _("Space created"),
    "space.updated": _("Space updated"),
    "staff_role.changed": _("Staff role changed"),
    "staff_capability.granted": _("Customer economics shown to a staff member"),
    "staff_capability.withdrawn": _("Customer economics hidden from a staff member again"),
    "success.capability_tag_added": _("Tag counted as a capability of a plan"),
    "success.capability_tag_removed": _("Tag no longer counted as a capability of a plan"),
    "tiers.bands_changed": _("Touch-tier bands changed"),
}

TARGET_TYPE_LABELS: dict[str, StrOrPromise] = {
    "badges.badge": _("Badge"),
    "cohorts.programme": _("Learning programme"),
    "content.answer": _("Answer"),
    "content.comment": _("Comment"),
    "content.knowledgearticle": _("Knowledge article"),
    "content.post": _("Post"),
    "contests.contest": _("Contest"),
    "crm.importjob": _("CRM import"),
    "events.event": _("Event"),
    "customers.customeraccount": _("Customer account"),
    "customers.customfield": _("Custom field"),
    "customers.plan": _("Plan"),
    "customers.tiersettings": _("Touch-tier bands"),
    "gamification.pointrule": _("Point rule"),
    "identity.apikey": _("API key"),
    "identity.member": _("Member"),
    "moderation.blockedterm": _("Blocked word or domain"),
    "plays.playrule": _("Play rule"),
    "rewards.redemption": _("Reward redemption"),
    "rewards.reward": _("Reward"),
    "segments.segment": _("Segment"),
    "spaces.space": _("Space"),
}

DETAIL_LABELS: dict[str, StrOrPromise] = {
    "access_type": _("Access"),
    "accounts_with_value": _("Accounts with a value"),
    "already_invited": _("Invited or registered already"),
    "amount": _("Points"),
    "any_activity": _("Any activity counts"),
    "answer_id": _("Answer"),
    "changed": pgettext_lazy("audit detail", "Changed"),
    "closes_at": _("Closes"),
    "conditions": _("Conditions"),
    "cooldown_days": _("Days before a closed play reopens"),
    "daily_cap": _("Daily cap"),
    "days": pgettext_lazy("play rule threshold", "Days"),
    "domains": _("Domains"),
    "duration": _("Duration"),
    "email": _("Email"),
    "enabled": _("Enabled"),
    "event": _("Event"),
    "flag": _("Flag"),
    "flag_reason": _("Flag reason"),
    "flags": _("Number of flags"),
    "forbid_promotion": _("No promotion"),
    "from": _("Changed from"),
    "from_space": _("From space"),
    "hold_new_member_links": _("Hold links from new members"),
    "invitation_id": _("Invitation"),
    "invited": _("Members invited"),
    "is_active": _("Enabled"),
    "judging": _("Judging"),
    "key": _("Key"),
    "kind": _("Kind"),
    "length_after": _("Length after"),
    "length_before": _("Length before"),
    "member_id": _("Member"),
    "member_ids": _("Members"),
    "minimum": pgettext_lazy("play rule threshold", "Minimum"),
    "name": _("Name"),
    "no_access": _("Could not see the event"),
    "note": _("Note"),
    "opens_at": _("Opens"),
    "percentage": pgettext_lazy("play rule threshold", "Percentage"),
    "play_id": _("Play"),
    "points": _("Points"),
    "points_per_winner": _("Points per winner"),
    "post_id": _("Post"),
    "previous_status": _("Previous status"),
    "reason": _("Reason"),
    "rule": _("Play rule"),
    "review_item": _("Review item"),
    "role": _("Role"),
    "rows": _("Rows in the file"),
    "rows_created": _("Rows created"),
    "rows_unchanged": _("Rows unchanged"),
    "rows_updated": _("Rows updated"),
    "scopes": _("Scopes"),
    "segment": _("Segment"),
    "snoozed_until": _("Snoozed until"),
    "status": _("Status"),
    "tag": _("Tag"),
    "tier": _("Touch tier"),
    "title": _("Title"),
    "to": _("Changed to"),
    "to_space": _("To space"),
    "window_days": _("Window in days"),
    "warning": _("Warning"),
    "with_economics": _("With ARR, tiers and custom fields"),
    "winners": _("Winners"),
    "accounts_moved": _("Accounts that changed tier"),
    "basis": _("Measured by"),
    "currency": _("Currency"),
    "high_from": _("High touch from"),
    "low_from": _("Low touch from"),
    "default_lifetime_months": _("Expected lifetime in months when an account has none"),
    "high_capacity": _("High-touch accounts per CSM"),
    "low_capacity": _("Low-touch accounts per CSM"),
    "tech_capacity": _("Tech-touch accounts per CSM"),
    "touch_tier": _("Touch tier"),
    "tier_override": _("Tier set by hand"),
    "is_strategic": _("Strategic account"),
}

# Details that name another object by its id, and the model it is an id of.
REFERENCES: dict[str, str] = {
    "answer_id": "content.answer",
    "from_space": "spaces.space",
    "member_id": "identity.member",
    "member_ids": "identity.member",
    "post_id": "content.post",
    "review_item": "moderation.reviewitem",
    "to_space": "spaces.space",
    "winners": "identity.member",
}
# A detail kept beside a reference with the name the object had then: shown only when the
# object is gone, in place of its bare id.
NAME_AT_THE_TIME = {"member_id": "member"}


def action_label(code: str) -> str:
    """The action in words; a code nobody labelled yet is shown as it is rather than hidden."""
    label = ACTION_LABELS.get(code)
    return str(label) if label is not None else code


def target_type_label(target_type: str) -> str:
    label = TARGET_TYPE_LABELS.get(target_type)
    return str(label) if label is not None else target_type


def _display_name(obj: Any) -> str:
    """What a page calls the object: its name, title or label in the reader's language where
    the model has one (a badge's __str__ is its slug, a point rule's its key)."""
    for attribute in ("name", "title", "label"):
        value = getattr(obj, attribute, None)
        if isinstance(value, str) and value:
            return value
    return str(obj)


@dataclass(frozen=True)
class _Page:
    """Where an object of one kind is shown, and what to call it there."""

    url_name: str
    url_kwarg: str
    url_attribute: str
    anchor: str = ""
    name: Callable[[Any], str] = _display_name
    related: tuple[str, ...] = ()


def _redemption_name(redemption: Any) -> str:
    return gettext("%(reward)s for %(member)s") % {
        "reward": redemption.reward,
        "member": redemption.member,
    }


def _review_item_name(item: Any) -> str:
    return gettext("Review item %(number)s") % {"number": item.pk}


PAGES: dict[str, _Page] = {
    "badges.badge": _Page("badges:badge-detail", "slug", "slug"),
    "content.answer": _Page("content:post-detail", "pk", "post_id", anchor="answer"),
    "content.comment": _Page("content:post-detail", "pk", "post_id", anchor="comment"),
    "content.knowledgearticle": _Page("engagement:knowledge-article", "pk", "pk"),
    "content.post": _Page("content:post-detail", "pk", "pk"),
    "contests.contest": _Page("contests:manage-contest", "pk", "pk"),
    "crm.importjob": _Page("crm:import-report", "pk", "pk"),
    "customers.customeraccount": _Page("customers:account-detail", "pk", "pk"),
    "customers.customfield": _Page("customers:custom-field-edit", "pk", "pk"),
    "customers.plan": _Page("customers:plan-edit", "pk", "pk"),
    "customers.tiersettings": _Page(
        "customers:tier-settings", "", "", name=lambda _bands: gettext("Touch-tier bands")
    ),
    "gamification.pointrule": _Page("gamification:staff-point-rule-edit", "pk", "pk"),
    "identity.member": _Page("identity:member-profile", "pk", "pk"),
    "moderation.reviewitem": _Page("moderation:review-item", "pk", "pk", name=_review_item_name),
    "plays.playrule": _Page("plays:rules", "", ""),
    "rewards.redemption": _Page(
        "rewards:queue", "", "", name=_redemption_name, related=("reward", "member")
    ),
    "rewards.reward": _Page("rewards:reward-edit", "pk", "pk"),
    "segments.segment": _Page("segments:segment-detail", "pk", "pk"),
    "spaces.space": _Page("spaces:space-detail", "slug", "slug"),
}


@dataclass(frozen=True)
class Ref:
    """An object named in the log: its name, and a link while it still exists."""

    label: str
    url: str = ""
    is_gone: bool = False


@dataclass(frozen=True)
class Fact:
    """One detail in words: what it is, and its value as text or as named objects."""

    label: str
    values: list[Ref] = field(default_factory=list)


@dataclass(frozen=True)
class ReadableEntry:
    entry: AuditEntry
    action: str
    target_type: str
    target: Ref
    facts: list[Fact]
    # Customer economics (ARR, tiers, plays) in the reason or details, hidden from this reader.
    is_redacted: bool = False

    @property
    def reason(self) -> str:
        return "" if self.is_redacted else self.entry.reason

    @property
    def as_text(self) -> str:
        """The reason and the details on one line, as the CSV and the row's full text give them."""
        parts = [self.reason] if self.reason else []
        parts += [
            f"{fact.label}: {', '.join(value.label for value in fact.values)}"
            for fact in self.facts
        ]
        return " / ".join(parts)


def _ids(value: Any) -> list[int]:
    values = value if isinstance(value, list | tuple) else [value]
    found = []
    for item in values:
        text = str(item)
        if text.isascii() and text.isdigit():
            found.append(int(text))
    return found


def _found_objects(wanted: Mapping[str, set[int]]) -> dict[tuple[str, int], Ref]:
    """Every wanted object that still exists, named and linked: one query per kind of object."""
    found: dict[tuple[str, int], Ref] = {}
    for label, ids in wanted.items():
        page = PAGES.get(label)
        if page is None or not ids:
            continue
        try:
            model: type[models.Model] = apps.get_model(label)
        except (LookupError, ValueError):
            continue
        objects: QuerySet[models.Model] = model._default_manager.filter(pk__in=ids)
        if page.related:
            objects = objects.select_related(*page.related)
        for obj in objects:
            found[(label, int(obj.pk))] = Ref(label=page.name(obj), url=_url(page, obj))
    return found


def _url(page: _Page, obj: Any) -> str:
    try:
        if not page.url_kwarg:
            return reverse(page.url_name)
        url = reverse(page.url_name, kwargs={page.url_kwarg: getattr(obj, page.url_attribute)})
    except NoReverseMatch:
        return ""
    return f"{url}#{page.anchor}-{obj.pk}" if page.anchor else url


def _text(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, list | tuple):
        return ", ".join(_text(item) for item in value)
    if isinstance(value, str) and len(value) >= 19 and value[4] == "-" and value[10] == "T":
        try:
            moment = datetime.datetime.fromisoformat(value)
        except ValueError:
            return value
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return formats.date_format(moment, "Y-m-d H:i")
    return str(value)


def _changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[Fact]:
    """`before`/`after` pairs as "label: old → new", only for what changed."""
    facts = []
    for key in [*before, *(key for key in after if key not in before)]:
        old, new = before.get(key), after.get(key)
        if old != new:
            label = str(DETAIL_LABELS.get(key, key))
            facts.append(Fact(label, [Ref(f"{_text(old)} → {_text(new)}")]))
    return facts


def _facts(details: Mapping[str, Any], found: Mapping[tuple[str, int], Ref]) -> list[Fact]:
    facts: list[Fact] = []
    skipped = {name for key, name in NAME_AT_THE_TIME.items() if key in details}
    before, after = details.get("before"), details.get("after")
    if isinstance(before, Mapping) and isinstance(after, Mapping):
        facts += _changes(before, after)
        skipped |= {"before", "after"}
    for key, value in details.items():
        if key in skipped:
            continue
        label = str(DETAIL_LABELS.get(key, key))
        if key in REFERENCES:
            kind = REFERENCES[key]
            refs = []
            for pk in _ids(value):
                ref = found.get((kind, pk))
                if ref is None:
                    at_the_time = details.get(NAME_AT_THE_TIME.get(key, ""))
                    ref = Ref(str(at_the_time) if at_the_time else f"#{pk}", is_gone=True)
                refs.append(ref)
            facts.append(Fact(label, refs or [Ref(_text(value))]))
        elif isinstance(value, Mapping):
            inner = ", ".join(
                f"{DETAIL_LABELS.get(name, name)}: {_text(item)}" for name, item in value.items()
            )
            facts.append(Fact(label, [Ref(inner)]))
        else:
            facts.append(Fact(label, [Ref(_text(value))]))
    return facts


# Actions whose reason or details carry customer economics (ARR, LTV, tiers, plays): readers of
# the log without the capability to see economics see who did what and when, not the figures.
ECONOMIC_ACTIONS = frozenset(
    {
        "account.tier_set",
        "tiers.bands_changed",
        "plays.done",
        "plays.snoozed",
        "plays.dismissed",
        "plays.rule_changed",
        "segments.created",
        "segments.updated",
        "segments.deleted",
        "segments.exported",
        "segments.members_invited",
    }
)


def readable_entries(
    entries: Iterable[AuditEntry], *, shows_economics: bool = True
) -> list[ReadableEntry]:
    """The entries in words, their targets and the objects their details name looked up at once."""
    entries = list(entries)
    wanted: dict[str, set[int]] = defaultdict(set)
    for entry in entries:
        wanted[entry.target_type].update(_ids(entry.target_id))
        for key, value in entry.details.items() if isinstance(entry.details, dict) else ():
            if key in REFERENCES:
                wanted[REFERENCES[key]].update(_ids(value))
    found = _found_objects(wanted)
    readable = []
    for entry in entries:
        target_ids = _ids(entry.target_id)
        target = found.get((entry.target_type, target_ids[0])) if target_ids else None
        if target is None:
            target = Ref(entry.target_label, is_gone=entry.target_type in PAGES)
        details = entry.details if isinstance(entry.details, dict) else {}
        redacted = not shows_economics and entry.action in ECONOMIC_ACTIONS
        if redacted:
            # A segment's name or a play's rule can carry a figure too.
            target = Ref(gettext("Hidden: customer economics"))
        readable.append(
            ReadableEntry(
                entry=entry,
                action=action_label(entry.action),
                target_type=target_type_label(entry.target_type),
                target=target,
                facts=[Fact(gettext("Details"), [Ref(gettext("Hidden: customer economics"))])]
                if redacted
                else _facts(details, found),
                is_redacted=redacted,
            )
        )
    return readable


# ---------------------------------------------------------------- CSV export

CSV_CHUNK = 500
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Line:
    """csv.writer writes into this and gets the line back, so rows stream one at a time."""

    def write(self, value: str) -> str:
        return value


def _cell(value: str) -> str:
    return f"'{value}" if value.startswith(_FORMULA_STARTS) else value


def csv_lines(entries: QuerySet[AuditEntry], *, shows_economics: bool = True) -> Iterator[str]:
    """The entries as CSV lines, read from the database in chunks so no page of the log
    is held whole in memory; opens in Excel with its Japanese intact (UTF-8 with a BOM)."""
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow(
        [
            gettext("When"),
            gettext("Who"),
            gettext("Email"),
            gettext("Action"),
            gettext("Action code"),
            gettext("Target type"),
            gettext("Target ID"),
            gettext("Target"),
            gettext("Reason and details"),
            gettext("Details (JSON)"),
        ]
    )
    rows = entries.iterator(chunk_size=CSV_CHUNK)
    while chunk := list(islice(rows, CSV_CHUNK)):
        for line in readable_entries(chunk, shows_economics=shows_economics):
            entry = line.entry
            yield writer.writerow(
                [
                    timezone.localtime(entry.created_at).isoformat(timespec="seconds"),
                    _cell(str(entry.actor) if entry.actor else gettext("System")),
                    _cell(entry.actor.email if entry.actor else ""),
                    _cell(line.action),
                    _cell(entry.action),
                    _cell(line.target_type),
                    _cell(entry.target_id),
                    _cell(line.target.label),
                    _cell(line.as_text),
                    "{}"
                    if line.is_redacted
                    else json.dumps(entry.details, ensure_ascii=False, sort_keys=True),
                ]
            )
