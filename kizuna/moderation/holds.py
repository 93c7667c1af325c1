"""The held-content lifecycle (S3): why a post or answer waits for a moderator, who may lift it,
and the review item that puts it in front of them.

Content is held from two sources: the automatic rules (content's services pass their
decision on new content and on its author's edits to `judge`) and member flags (`hold_for_flags`,
when the FLAGS_TO_HOLD-th member flags it). An author's edit is re-judged here and only here:
a rule hold the rules no longer raise is published and its review item closed; a flag hold stays
for a moderator, its item marked resubmitted. Moderators' decisions are in `services`.

Call everything inside the transaction that saved the content, with the content row locked.
"""

from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from kizuna.content.models import Answer, Comment, ContentStatus, Post
from kizuna.core.audit import record_audit
from kizuna.moderation.models import ReviewItem
from kizuna.moderation.rules import RuleDecision

Target = Post | Answer | Comment

# Where a hold came from: the rules re-judge an author's edit of their own hold, but a hold by
# flags stays until a moderator decides.
RULES_SOURCE = "rules"
FLAGS_SOURCE = "flags"
PUBLISHED_AFTER_EDIT = "published after the author's edit"


def target_fields(target: Target) -> dict[str, Target]:
    """The review item (or flag) column that points at this content."""
    if isinstance(target, Post):
        return {"post": target}
    if isinstance(target, Answer):
        return {"answer": target}
    return {"comment": target}


def pending_item(target: Target) -> ReviewItem | None:
    """The content's unresolved review item, locked; None when nothing waits."""
    return (
        ReviewItem.objects.select_for_update()
        .filter(**target_fields(target))
        .exclude(status=ReviewItem.Status.RESOLVED)
        .first()
    )


def _thread_post(target: Post | Answer) -> Post:
    return target if isinstance(target, Post) else target.post


def _hold_note(reasons: list[str], source: str, resubmitted_at: datetime | None) -> dict[str, Any]:
    note: dict[str, Any] = {"reasons": [str(reason) for reason in reasons], "source": source}
    if resubmitted_at is not None:
        note["resubmitted_at"] = resubmitted_at.isoformat()
    return note


def judge(target: Post | Answer, decision: RuleDecision, *, edited: bool) -> None:
    """Apply the rules' decision to new content (`edited=False`) or to its author's edit of
    published or held content, save the status, and queue, resubmit or close its review item."""
    note = target.moderation_note or {}
    was_held = target.status == ContentStatus.HELD
    source = note.get("source", RULES_SOURCE) if was_held else RULES_SOURCE
    now = timezone.now()
    if decision.is_held:
        target.status = ContentStatus.HELD
        target.moderation_note = _hold_note(decision.reasons, source, now if edited else None)
    elif not was_held:
        return
    elif source == RULES_SOURCE:
        target.status = ContentStatus.PUBLISHED
        target.moderation_note = {}
    else:
        target.moderation_note = {**note, "resubmitted_at": now.isoformat()}
    target.save(update_fields=["status", "moderation_note"])
    if target.status == ContentStatus.HELD:
        hold_for_review(target=target, reasons=target.moderation_note["reasons"])
    else:
        _close_after_publishing_edit(target)


def _close_after_publishing_edit(target: Post | Answer) -> None:
    """The author's edit lifted a rule hold: its review item needs no moderator any more."""
    item = pending_item(target)
    if item is None or item.source != ReviewItem.Source.RULE:
        return
    item.status = ReviewItem.Status.RESOLVED
    item.action = ReviewItem.Action.DISMISS
    item.resolved_at = timezone.now()
    item.resolution_reason = PUBLISHED_AFTER_EDIT
    item.save()
    record_audit(
        actor=None,
        action="moderation.dismiss",
        target=target,
        reason=PUBLISHED_AFTER_EDIT,
        details={"review_item": item.pk},
    )


def hold_for_flags(target: Target, reasons: list[str]) -> None:
    """Hold published content that enough members flagged; only a moderator lifts this hold."""
    target.status = ContentStatus.HELD
    if isinstance(target, Comment):
        target.save(update_fields=["status"])
        return
    target.moderation_note = {
        **(target.moderation_note or {}),
        "reasons": reasons,
        "source": FLAGS_SOURCE,
    }
    target.save(update_fields=["status", "moderation_note"])


def hold_for_review(
    *, target: Post | Answer, reasons: list[str], source: str = ReviewItem.Source.RULE
) -> ReviewItem:
    """Put held content in the review queue, or mark its pending item resubmitted when the
    author edited it. Call inside the transaction that saved the content as HELD."""
    item = pending_item(target)
    if item is not None:
        item.reasons = list(reasons)
        item.status = ReviewItem.Status.RESUBMITTED
        item.save(update_fields=["reasons", "status", "updated_at"])
        return item
    return ReviewItem.objects.create(
        space=_thread_post(target).space,
        source=source,
        reasons=list(reasons),
        **target_fields(target),
    )


def sweep_unqueued_holds() -> int:
    """Queue held posts and answers that have no pending review item (held by a writer that
    did not go through `judge`, such as an import or the admin); idempotent, run periodically."""
    created = 0
    pending = ReviewItem.objects.exclude(status=ReviewItem.Status.RESOLVED)
    for model, field in ((Post, "post"), (Answer, "answer")):
        unqueued = model.objects.filter(status=ContentStatus.HELD).exclude(
            Exists(pending.filter(**{field: OuterRef("pk")}))
        )
        for content in unqueued.select_related("space" if model is Post else "post__space"):
            with transaction.atomic():
                reasons = list((content.moderation_note or {}).get("reasons", []))
                hold_for_review(target=content, reasons=reasons)
                created += 1
    return created
