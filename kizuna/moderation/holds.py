"""The held-content lifecycle (S3): why a post or answer waits for a moderator, who may lift it,
and the review item that puts it in front of them.

Content is held from two sources: the automatic rules (content's services pass their
decision on new content and on its author's edits to `judge`) and member flags (`hold_for_flags`,
when the FLAGS_TO_HOLD-th member flags it). An author's edit is re-judged here and only here:
a rule hold the rules no longer raise is published and its review item closed; a flag hold stays
for a moderator, its item marked resubmitted. Moderators' decisions are in `services`.

Call everything inside the transaction that saved the content, with the content row locked.
"""

from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from kizuna.content.models import Answer, Comment, ContentStatus, Post
from kizuna.core.audit import record_audit
from kizuna.moderation.models import Hold, ReviewItem
from kizuna.moderation.rules import RuleDecision

Target = Post | Answer | Comment

PUBLISHED_AFTER_EDIT = "published after the author's edit"


def target_fields(target: Target) -> dict[str, Any]:
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


def hold_of(target: Target) -> Hold | None:
    """The content's hold, if it has one."""
    return Hold.objects.filter(**target_fields(target)).first()


def judge(target: Post | Answer, decision: RuleDecision, *, edited: bool) -> None:
    """Apply the rules' decision to new content (`edited=False`) or to its author's edit of
    published or held content: hold it, keep it held, or publish it, and queue, resubmit or
    close its review item."""
    is_held = target.status == ContentStatus.HELD
    hold = hold_of(target) if is_held else None
    if decision.is_held:
        # A hold by flags stays one even when the edit also breaks a rule.
        source = hold.source if hold is not None else Hold.Source.RULES
        _keep_held(target, source, decision.reasons, edited=edited)
    elif hold is not None and hold.source == Hold.Source.FLAGS:
        # Only a moderator lifts a hold by flags: the edit goes back in front of them.
        _keep_held(target, hold.source, hold.reasons, edited=edited)
    elif is_held:
        _set_status(target, ContentStatus.PUBLISHED)
        release(target)
        _close_after_publishing_edit(target)


def _keep_held(target: Post | Answer, source: str, reasons: list[str], *, edited: bool) -> None:
    reasons = [str(reason) for reason in reasons]
    _set_status(target, ContentStatus.HELD)
    Hold.objects.update_or_create(
        **target_fields(target),
        defaults={
            "source": source,
            "reasons": reasons,
            "resubmitted_at": timezone.now() if edited else None,
        },
    )
    hold_for_review(target=target, reasons=reasons)


def _set_status(target: Target, status: str) -> None:
    if target.status != status:
        target.status = status
        target.save(update_fields=["status"])


def release(target: Target) -> None:
    """The content is no longer held (published by its author's edit, or a moderator decided)."""
    Hold.objects.filter(**target_fields(target)).delete()


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
    _set_status(target, ContentStatus.HELD)
    Hold.objects.update_or_create(
        **target_fields(target),
        defaults={"source": Hold.Source.FLAGS, "reasons": reasons, "resubmitted_at": None},
    )


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
                hold = hold_of(content)
                hold_for_review(target=content, reasons=hold.reasons if hold else [])
                created += 1
    return created
