"""Every moderation write: flags, the review queue's actions, warnings, suspensions, blocked
terms and space settings (holds and their lifecycle are in `kizuna.moderation.holds`).

Each action follows one order: authorize → validate → load and lock → write → audit →
after commit (re-index the thread). Denied or invalid actions change nothing.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kizuna.activity.dispatch import dispatch_on_commit, thread_changed
from kizuna.activity.models import Activity, Verb
from kizuna.activity.services import record_activity
from kizuna.content.counters import recount_answers
from kizuna.content.markdown import render_markdown
from kizuna.content.models import Answer, Comment, ContentStatus, Post, Revision
from kizuna.content.permissions import PostAccess
from kizuna.core.audit import record_audit
from kizuna.identity.models import Member
from kizuna.identity.permissions import Viewer, check_capability, is_signed_in
from kizuna.identity.roles import Capability
from kizuna.moderation.holds import hold_for_flags, pending_item, release, target_fields
from kizuna.moderation.models import (
    BlockedTerm,
    Flag,
    FlagReason,
    MemberWarning,
    ReviewItem,
    SpaceModerationSettings,
)
from kizuna.moderation.permissions import can_flag_target, can_move_to
from kizuna.moderation.rate_limits import check_rate_limit
from kizuna.notifications.models import ModerationOutcome
from kizuna.notifications.services import notify_moderation_outcome
from kizuna.spaces.models import Space
from kizuna.spaces.permissions import SpaceAccess, decided_space_access, get_space_access

Target = Post | Answer | Comment

# Distinct members whose open flags hold published content until a moderator looks.
FLAGS_TO_HOLD = 3
MAX_NOTE_LENGTH = 1000
MAX_REASON_LENGTH = 1000

# ---------------------------------------------------------------- helpers


def _thread_post(target: Target) -> Post:
    if isinstance(target, Post):
        return target
    return target.post


def _lock(target: Target) -> Target:
    model = type(target)
    return model.objects.select_for_update().get(pk=target.pk)


def _notify_author(target: Target, *, outcome: str, reason: str, actor: Member | None) -> None:
    """Tell the author of a post or answer what moderation decided (comments have no notice)."""
    if isinstance(target, Comment):
        return
    author = Member.objects.get(pk=target.author_id)
    if isinstance(target, Post):
        notify_moderation_outcome(
            member=author, post=target, outcome=outcome, reason=reason, actor=actor
        )
    else:
        notify_moderation_outcome(
            member=author, answer=target, outcome=outcome, reason=reason, actor=actor
        )


def _fan_out_after_approval(target: Target) -> None:
    """A held post or answer told nobody and earned nothing when it was written; approving
    it dispatches its activity (the points are keyed by the activity, so they are still
    paid only once)."""
    verb = {Post: Verb.POSTED, Answer: Verb.ANSWERED}.get(type(target))
    if verb is None:
        return
    activity = (
        Activity.objects.filter(verb=verb, object_type=target._meta.model_name, object_id=target.pk)
        .order_by("-id")
        .first()
    )
    if activity is not None:
        dispatch_on_commit(activity)


# ---------------------------------------------------------------- flags


def _flag_reasons(target: Target) -> list[str]:
    counts = (
        Flag.objects.filter(status=Flag.Status.OPEN, **target_fields(target))
        .values_list("reason")
        .annotate(count=models.Count("id"))
        .order_by("reason")
    )
    labels = dict(FlagReason.choices)
    return [
        _("Flagged as %(reason)s by %(count)d member(s)")
        % {"reason": labels.get(reason, reason), "count": count}
        for reason, count in counts
    ]


def flag_content(
    *, member: Member, target: Target, reason: str, note: str = "", access: PostAccess | None = None
) -> Flag:
    """Flag a post, answer or comment; the FLAGS_TO_HOLD-th member's flag holds it for review.
    Flagging twice returns the member's open flag. `access` is the caller's decision on the
    target's thread (kizuna.content.access), so that the space is not asked again."""
    if not can_flag_target(member, target, access):
        raise PermissionDenied("flag")
    if target.author_id == member.pk:
        raise ValidationError(_("You cannot flag your own post."))
    if reason not in FlagReason.values:
        raise ValidationError({"reason": _("Choose why you are flagging this.")})
    note = note.strip()
    if len(note) > MAX_NOTE_LENGTH:
        raise ValidationError({"note": _("Keep the note under 1000 characters.")})
    existing = Flag.objects.filter(
        member_id=member.pk, status=Flag.Status.OPEN, **target_fields(target)
    ).first()
    if existing is not None:
        return existing
    check_rate_limit(member, "flag")
    post = _thread_post(target)
    with transaction.atomic():
        target = _lock(target)
        flag, created = Flag.objects.get_or_create(
            member_id=member.pk,
            status=Flag.Status.OPEN,
            **target_fields(target),
            defaults={"reason": reason, "note": note},
        )
        if not created:
            return flag
        record_activity(actor=member, verb=Verb.FLAGGED, target=target, space_id=post.space_id)
        record_audit(
            actor=member,
            action="moderation.flag",
            target=target,
            reason=note,
            details={"flag": flag.pk, "flag_reason": reason},
        )
        flaggers = (
            Flag.objects.filter(status=Flag.Status.OPEN, **target_fields(target))
            .values("member_id")
            .distinct()
            .count()
        )
        reasons = _flag_reasons(target)
        item = pending_item(target)
        if item is None:
            item = ReviewItem(space_id=post.space_id, source=ReviewItem.Source.FLAG)
            for field, value in target_fields(target).items():
                setattr(item, field, value)
        if item.source == ReviewItem.Source.FLAG:
            item.reasons = reasons
        item.flag_count = flaggers
        item.save()
        if flaggers >= FLAGS_TO_HOLD and target.status == ContentStatus.PUBLISHED:
            hold_for_flags(target, reasons)
            if isinstance(target, Answer):
                recount_answers(post.pk)
            record_audit(
                actor=None,
                action="moderation.auto_hold",
                target=target,
                reason="; ".join(reasons),
                details={"review_item": item.pk, "flags": flaggers},
            )
            _notify_author(
                target, outcome=ModerationOutcome.HELD, reason="; ".join(reasons), actor=None
            )
            thread_changed(post.pk)
    return flag


# ---------------------------------------------------------------- queue actions


def _check_moderate(actor: Viewer, item: ReviewItem) -> None:
    if not get_space_access(actor, item.space).can_moderate:
        raise PermissionDenied("moderate")


def _require_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason: it is kept in the audit log.")})
    if len(reason) > MAX_REASON_LENGTH:
        raise ValidationError({"reason": _("Keep the reason under 1000 characters.")})
    return reason


def _load(item: ReviewItem) -> tuple[ReviewItem, Target]:
    locked = ReviewItem.objects.select_for_update().get(pk=item.pk)
    return locked, _lock(locked.target)  # type: ignore[arg-type]


def _resolve(
    *,
    actor: Member,
    item: ReviewItem,
    action: str,
    new_status: str,
    reason: str,
) -> ReviewItem:
    with transaction.atomic():
        item, target = _load(item)
        if not item.is_pending:
            if item.action == action:
                return item  # a repeated form post
            raise ValidationError(_("This item was already resolved by another moderator."))
        was_held = target.status == ContentStatus.HELD
        target.status = new_status
        target.save()
        release(target)
        if isinstance(target, Answer):
            recount_answers(target.post_id)
        if action == ReviewItem.Action.APPROVE and was_held:
            _notify_author(target, outcome=ModerationOutcome.APPROVED, reason=reason, actor=actor)
            _fan_out_after_approval(target)
        elif action == ReviewItem.Action.HIDE:
            _notify_author(target, outcome=ModerationOutcome.HIDDEN, reason=reason, actor=actor)
        item.status = ReviewItem.Status.RESOLVED
        item.action = action
        item.resolved_by = actor
        item.resolved_at = timezone.now()
        item.resolution_reason = reason
        item.save()
        Flag.objects.filter(status=Flag.Status.OPEN, **target_fields(target)).update(
            status=Flag.Status.RESOLVED
        )
        record_audit(
            actor=actor,
            action=f"moderation.{action}",
            target=target,
            reason=reason,
            details={"review_item": item.pk, "status": new_status},
        )
        thread_changed(_thread_post(target).pk)
    return item


def approve_item(*, actor: Member, item: ReviewItem, reason: str = "") -> ReviewItem:
    """Publish the content and close the item; open flags on it are resolved."""
    _check_moderate(actor, item)
    reason = reason.strip()[:MAX_REASON_LENGTH]
    return _resolve(
        actor=actor,
        item=item,
        action=ReviewItem.Action.APPROVE,
        new_status=ContentStatus.PUBLISHED,
        reason=reason,
    )


def hide_item(*, actor: Member, item: ReviewItem, reason: str) -> ReviewItem:
    """Hide the content from everyone but its author and moderators; the author sees why."""
    _check_moderate(actor, item)
    return _resolve(
        actor=actor,
        item=item,
        action=ReviewItem.Action.HIDE,
        new_status=ContentStatus.HIDDEN,
        reason=_require_reason(reason),
    )


def delete_item(*, actor: Member, item: ReviewItem, reason: str) -> ReviewItem:
    """Delete the content (soft: status DELETED, kept for the audit trail)."""
    _check_moderate(actor, item)
    return _resolve(
        actor=actor,
        item=item,
        action=ReviewItem.Action.DELETE,
        new_status=ContentStatus.DELETED,
        reason=_require_reason(reason),
    )


def edit_item_content(
    *, actor: Member, item: ReviewItem, title: str, body: str, reason: str
) -> ReviewItem:
    """A moderator's edit of the content, with a reason; the previous text is kept as a Revision."""
    _check_moderate(actor, item)
    reason = _require_reason(reason)
    body = body.strip()
    title = title.strip()
    if not body:
        raise ValidationError({"body": _("The text cannot be empty.")})
    if item.post_id and not title:
        raise ValidationError({"title": _("The title cannot be empty.")})
    with transaction.atomic():
        item, target = _load(item)
        if isinstance(target, Post):
            Revision.objects.create(
                post=target, editor=actor, title=target.title, body=target.body, reason=reason
            )
            target.title = title[:200]
        elif isinstance(target, Answer):
            Revision.objects.create(answer=target, editor=actor, body=target.body, reason=reason)
        before = len(target.body)
        target.body = body
        if not isinstance(target, Comment):
            target.body_html = render_markdown(body)
            target.edited_at = timezone.now()
        target.save()
        record_audit(
            actor=actor,
            action="moderation.edit",
            target=target,
            reason=reason,
            details={"review_item": item.pk, "length_before": before, "length_after": len(body)},
        )
        thread_changed(_thread_post(target).pk)
    return item


def _set_lock(*, actor: Member, item: ReviewItem, is_locked: bool, reason: str) -> ReviewItem:
    _check_moderate(actor, item)
    with transaction.atomic():
        item, target = _load(item)
        post = _lock(_thread_post(target))
        assert isinstance(post, Post)
        if post.is_locked == is_locked:
            return item
        post.is_locked = is_locked
        post.save(update_fields=["is_locked"])
        record_audit(
            actor=actor,
            action="moderation.lock" if is_locked else "moderation.unlock",
            target=post,
            reason=reason,
            details={"review_item": item.pk},
        )
        thread_changed(post.pk)
    return item


def lock_post(*, actor: Member, item: ReviewItem, reason: str) -> ReviewItem:
    """Lock the thread of the item: no new answers, the author can no longer edit."""
    return _set_lock(actor=actor, item=item, is_locked=True, reason=_require_reason(reason))


def unlock_post(*, actor: Member, item: ReviewItem, reason: str = "") -> ReviewItem:
    """Open the thread of the item again."""
    return _set_lock(actor=actor, item=item, is_locked=False, reason=reason.strip())


def move_post(*, actor: Member, item: ReviewItem, to_space: Space, reason: str) -> ReviewItem:
    """Move the item's post to another space the actor may post in; its queue items follow."""
    _check_moderate(actor, item)
    reason = _require_reason(reason)
    if item.post_id is None:
        raise ValidationError(_("Only a whole post can be moved."))
    if not can_move_to(actor, to_space):
        raise ValidationError({"to_space": _("You cannot post in that space.")})
    with transaction.atomic():
        item, target = _load(item)
        assert isinstance(target, Post)
        from_space_id = target.space_id
        if from_space_id == to_space.pk:
            raise ValidationError({"to_space": _("The post is already in that space.")})
        target.space = to_space
        target.save(update_fields=["space"])
        ReviewItem.objects.filter(
            models.Q(post=target) | models.Q(answer__post=target) | models.Q(comment__post=target)
        ).update(space=to_space)
        item.space = to_space
        record_audit(
            actor=actor,
            action="moderation.move",
            target=target,
            reason=reason,
            details={"review_item": item.pk, "from_space": from_space_id, "to_space": to_space.pk},
        )
        thread_changed(target.pk)
    return item


def warn_author(*, actor: Member, item: ReviewItem, message: str) -> MemberWarning:
    """Warn the author of the item's content; the message is shown to them in the app."""
    _check_moderate(actor, item)
    message = message.strip()
    if not message:
        raise ValidationError({"message": _("Write the warning the member will read.")})
    if len(message) > 2000:
        raise ValidationError({"message": _("Keep the warning under 2000 characters.")})
    with transaction.atomic():
        item, target = _load(item)
        author = Member.objects.get(pk=target.author_id)
        warning = MemberWarning.objects.create(
            member=author, issued_by=actor, review_item=item, message=message
        )
        _notify_author(target, outcome=ModerationOutcome.WARNED, reason=message, actor=actor)
        record_audit(
            actor=actor,
            action="moderation.warn",
            target=author,
            reason=message,
            details={"review_item": item.pk, "warning": warning.pk},
        )
    return warning


def suspend_author(
    *, actor: Member, item: ReviewItem, reason: str, duration_note: str = ""
) -> Member:
    """Suspend the author's account (staff moderators only); staff accounts cannot be suspended
    here. The duration is a note for whoever lifts the suspension."""
    _check_moderate(actor, item)
    check_capability(actor, Capability.MODERATE)
    reason = _require_reason(reason)
    duration_note = duration_note.strip()[:200]
    with transaction.atomic():
        item, target = _load(item)
        author = Member.objects.select_for_update().get(pk=target.author_id)
        if author.pk == actor.pk or author.is_staff_member:
            raise ValidationError(_("Staff accounts cannot be suspended from the review queue."))
        if not author.is_active:
            return author
        author.is_active = False
        author.save(update_fields=["is_active"])
        record_audit(
            actor=actor,
            action="moderation.suspend",
            target=author,
            reason=reason,
            details={"review_item": item.pk, "duration": duration_note},
        )
    return author


def mark_warning_read(*, member: Viewer, warning: MemberWarning) -> MemberWarning:
    """The member has read a warning addressed to them; reading it again changes nothing."""
    if not is_signed_in(member) or warning.member_id != member.pk:
        raise PermissionDenied("warning")
    MemberWarning.objects.filter(pk=warning.pk, read_at__isnull=True).update(read_at=timezone.now())
    warning.refresh_from_db(fields=["read_at"])
    return warning


# ---------------------------------------------------------------- settings and blocked terms


def update_moderation_settings(
    *,
    actor: Member,
    space: Space,
    forbid_promotion: bool,
    hold_new_member_links: bool,
    access: SpaceAccess | None = None,
) -> SpaceModerationSettings:
    """Change how a space is moderated (its moderators or staff with MODERATE); `access` is the
    caller's decision on the space (kizuna.spaces.permissions.access_space)."""
    if not decided_space_access(actor, space, access).can_moderate:
        raise PermissionDenied("moderate")
    with transaction.atomic():
        found, _created = SpaceModerationSettings.objects.select_for_update().get_or_create(
            space=space
        )
        before = {
            "forbid_promotion": found.forbid_promotion,
            "hold_new_member_links": found.hold_new_member_links,
        }
        found.forbid_promotion = forbid_promotion
        found.hold_new_member_links = hold_new_member_links
        found.save()
        record_audit(
            actor=actor,
            action="moderation.settings",
            target=space,
            details={
                "before": before,
                "after": {
                    "forbid_promotion": forbid_promotion,
                    "hold_new_member_links": hold_new_member_links,
                },
            },
        )
    return found


def _normalise_term(kind: str, value: str) -> str:
    value = value.strip().lower()
    if kind == BlockedTerm.Kind.DOMAIN:
        value = value.removeprefix("https://").removeprefix("http://").removeprefix("www.")
        value = value.split("/", 1)[0]
    return value


def add_blocked_term(*, actor: Member, kind: str, value: str) -> BlockedTerm:
    """Block a word or a domain in every space (staff moderators); adding it twice is a no-op."""
    check_capability(actor, Capability.MODERATE)
    if kind not in BlockedTerm.Kind.values:
        raise ValidationError({"kind": _("Choose a word or a domain.")})
    value = _normalise_term(kind, value)
    if not value or len(value) > 100:
        raise ValidationError({"value": _("Enter a word or a domain of up to 100 characters.")})
    if kind == BlockedTerm.Kind.DOMAIN and ("." not in value or " " in value):
        raise ValidationError({"value": _("Enter a domain such as example.com.")})
    with transaction.atomic():
        term, created = BlockedTerm.objects.get_or_create(
            kind=kind, value=value, defaults={"created_by": actor}
        )
        if created:
            record_audit(actor=actor, action="moderation.block_term", target=term)
    return term


def remove_blocked_term(*, actor: Member, term: BlockedTerm) -> None:
    """Stop blocking a word or a domain."""
    check_capability(actor, Capability.MODERATE)
    with transaction.atomic():
        record_audit(actor=actor, action="moderation.unblock_term", target=term)
        BlockedTerm.objects.filter(pk=term.pk).delete()
