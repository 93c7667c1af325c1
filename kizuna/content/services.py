"""Writing posts, answers and comments (S2); their attachments are checked and stored by
`kizuna.content.attachments`, their text by `kizuna.content.validation`.

Every service runs in the same order: authorize (content.permissions) → validate →
load and lock → write → audit when a moderator acts on someone else's content →
activity (the dispatcher queues its notifications and points on commit) → `thread_changed`
(search marks the thread and indexes it on commit), so a task never sees uncommitted rows.

Double submissions: each composer carries a random `submission_token`, claimed as an
idempotency key (kizuna.core.idempotency) in the write's own transaction; a second request
with the same token gets the first row back instead of writing another, also while the first
is still being saved. A unique constraint on (author, title, time window) was rejected: two
honest questions may share a title, and a window needs a clock guess; the token states
exactly "this is the same form, sent twice".
"""

from collections.abc import Sequence
from datetime import datetime
from typing import TypeVar

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, Model, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from kizuna.activity.dispatch import thread_changed
from kizuna.activity.models import Verb
from kizuna.activity.services import record_activity
from kizuna.content.attachments import prepare_attachments, store_attachment
from kizuna.content.counters import recount_answers
from kizuna.content.markdown import render
from kizuna.content.models import (
    Answer,
    Comment,
    ContentStatus,
    Post,
    PostType,
    Revision,
    Tag,
)
from kizuna.content.permissions import (
    PostAccess,
    can_edit_answer,
    can_view_post,
    check_post_in_space,
    decided_post_access,
)
from kizuna.content.validation import (
    COMMENT_MAX_LENGTH,
    ContentError,
    clean_body,
    clean_tags,
    clean_title,
    field_error,
    tag_slug,
)
from kizuna.core.audit import record_audit
from kizuna.core.idempotency import claim_key, earlier_result, record_result
from kizuna.identity.models import Member
from kizuna.identity.permissions import Viewer, is_signed_in
from kizuna.moderation.holds import judge
from kizuna.moderation.rate_limits import check_rate_limit
from kizuna.moderation.rules import evaluate_content
from kizuna.spaces.models import Space
from kizuna.spaces.permissions import SpaceAccess

STAFF_ONLY_TYPES = (PostType.ANNOUNCEMENT,)

ModelT = TypeVar("ModelT", bound=Model)


# ---------------------------------------------------------------- helpers


def _tag_named(name: str) -> Tag:
    """The tag this name stands for, created when there is none yet; safe when two create it at once."""
    slug = tag_slug(name)
    # Tags made elsewhere (admin, imports) may have an address that is not their name's slug.
    same = Tag.objects.filter(Q(slug=slug) | Q(name__iexact=name)).order_by("pk")
    existing = same.first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Tag.objects.create(name=name, slug=slug)
    except IntegrityError:
        # Another request created it after our look-up; the unique columns make theirs the one.
        return same[0]


def _tags_for(names: list[str]) -> list[Tag]:
    return [_tag_named(name) for name in names]


def _earlier_submission(member: Member, token: str, model: type[ModelT]) -> ModelT | None:
    """The row a committed earlier submission of the same form created, before any work."""
    row_id = earlier_result(scope=model._meta.label_lower, actor_id=member.pk, key=token)
    return model._default_manager.filter(pk=row_id).first() if row_id is not None else None


def _claim_submission(member: Member, token: str, model: type[ModelT]) -> ModelT | None:
    """Inside the write's transaction: claim the form's token, or the row its first sending made."""
    row_id = claim_key(scope=model._meta.label_lower, actor_id=member.pk, key=token)
    return model._default_manager.get(pk=row_id) if row_id is not None else None


def _finish_submission(member: Member, token: str, row: Model) -> None:
    record_result(scope=row._meta.label_lower, actor_id=member.pk, key=token, result_id=row.pk)


def _visible_mentions(member_ids: list[int], post: Post, author: Member) -> list[int]:
    """Mentioned members who may read the post: nobody is told of a thread they cannot open."""
    members = Member.objects.filter(pk__in=member_ids, is_active=True).exclude(pk=author.pk)
    by_id = {member.pk: member for member in members}
    return [
        member_id
        for member_id in member_ids
        if member_id in by_id and can_view_post(by_id[member_id], post)
    ]


def _check_signed_in(member: Viewer) -> None:
    if not is_signed_in(member):
        raise PermissionDenied("sign_in")


def _check_fresh(current: datetime | None, expected: datetime | str | None) -> None:
    """Refuse an edit made from a page older than the content's last edit."""
    if expected == "" or expected == current:
        return
    raise ContentError(
        _(
            "Someone changed this while you were editing. Your text is kept below; "
            "check the current version and save again."
        ),
        code="stale",
    )


# ---------------------------------------------------------------- posts


def create_post(
    *,
    author: Member,
    space: Space,
    post_type: str,
    title: str,
    body: str,
    tags: str | Sequence[str] = (),
    public_use_consent: bool = False,
    attachments: Sequence[UploadedFile] = (),
    submission_token: str = "",
    access: SpaceAccess | None = None,
) -> Post:
    """Start a thread in a space; held for review instead of published when a content rule fires.

    `access` is the caller's decision on the space (kizuna.spaces.permissions.access_space), so
    that the space is not asked again.
    """
    check_post_in_space(author, space, access)
    if post_type not in PostType.values:
        raise field_error("post_type", _("Choose a type of post."), "invalid")
    if post_type in STAFF_ONLY_TYPES and not author.is_staff_member:
        raise PermissionDenied("announcement")
    title = clean_title(title)
    body = clean_body(body)
    tag_names = clean_tags(tags)
    prepared = prepare_attachments(attachments)
    earlier = _earlier_submission(author, submission_token, Post)
    if earlier is not None:
        return earlier
    check_rate_limit(author, "post")
    decision = evaluate_content(author=author, space=space, title=title, body=body)
    rendered = render(body)
    with transaction.atomic():
        earlier = _claim_submission(author, submission_token, Post)
        if earlier is not None:
            return earlier
        post = Post.objects.create(
            space=space,
            author=author,
            post_type=post_type,
            title=title,
            body=body,
            body_html=rendered.html,
            public_use_consent=public_use_consent and post_type == PostType.CASE_STUDY,
        )
        judge(post, decision, edited=False)
        post.tags.set(_tags_for(tag_names))
        for item in prepared:
            store_attachment(item, uploader=author, post=post, answer=None)
        # A held post tells nobody and earns nothing yet; approving it dispatches this activity.
        record_activity(
            actor=author,
            verb=Verb.POSTED,
            target=post,
            space_id=space.pk,
            details={
                "post_id": post.pk,
                "post_type": post_type,
                "is_held": decision.is_held,
                "mentioned_member_ids": _visible_mentions(
                    rendered.mentioned_member_ids, post, author
                ),
            },
            dispatch=not decision.is_held,
        )
        thread_changed(post.pk)
        _finish_submission(author, submission_token, post)
    return post


def edit_post(
    *,
    editor: Member,
    post: Post,
    title: str,
    body: str,
    tags: str | Sequence[str] | None = None,
    public_use_consent: bool | None = None,
    expected_edited_at: datetime | str | None = "",
    reason: str = "",
    access: PostAccess | None = None,
) -> Post:
    """Change a post's text, keeping the previous version; the author's edit of a held post resubmits it.

    `expected_edited_at` is the post's `edited_at` when the editor opened the form ("" skips
    the check); a different value means someone saved in between and the edit is refused.
    """
    if not decided_post_access(editor, post, access).can_edit:
        raise PermissionDenied("edit_post")
    title = clean_title(title)
    body = clean_body(body)
    tag_names = clean_tags(tags) if tags is not None else None
    is_author = post.author_id == editor.pk
    decision = (
        evaluate_content(author=editor, space=post.space, title=title, body=body)
        if is_author
        else None
    )
    rendered = render(body)
    with transaction.atomic():
        locked = Post.objects.select_for_update().get(pk=post.pk)
        _check_fresh(locked.edited_at, expected_edited_at)
        changed = (locked.title, locked.body) != (title, body)
        if changed:
            Revision.objects.create(
                post=locked,
                editor=editor,
                title=locked.title,
                body=locked.body,
                reason=reason[:200],
            )
        now = timezone.now()
        locked.title, locked.body, locked.body_html = title, body, rendered.html
        locked.edited_at = now if changed else locked.edited_at
        if public_use_consent is not None:
            locked.public_use_consent = (
                public_use_consent and locked.post_type == PostType.CASE_STUDY
            )
        was_held = locked.status == ContentStatus.HELD
        locked.save()
        if decision is not None and locked.status in (ContentStatus.PUBLISHED, ContentStatus.HELD):
            judge(locked, decision, edited=True)
        if tag_names is not None:
            locked.tags.set(_tags_for(tag_names))
        if not is_author:
            record_audit(actor=editor, action="content.post_edited", target=locked, reason=reason)
        if was_held and locked.status == ContentStatus.PUBLISHED:
            record_activity(
                actor=editor,
                verb=Verb.POSTED,
                target=locked,
                space_id=locked.space_id,
                details={
                    "post_id": locked.pk,
                    "post_type": locked.post_type,
                    "is_held": False,
                    "resubmitted": True,
                    "mentioned_member_ids": _visible_mentions(
                        rendered.mentioned_member_ids, locked, editor
                    ),
                },
            )
        thread_changed(locked.pk)
    return locked


# ---------------------------------------------------------------- answers


def create_answer(
    *,
    author: Member,
    post: Post,
    body: str,
    attachments: Sequence[UploadedFile] = (),
    submission_token: str = "",
    access: PostAccess | None = None,
) -> Answer:
    """Answer a question (or reply in a discussion); the first published answer starts the clock."""
    _check_signed_in(author)
    if not decided_post_access(author, post, access).can_answer:
        raise PermissionDenied("answer")
    body = clean_body(body)
    prepared = prepare_attachments(attachments)
    earlier = _earlier_submission(author, submission_token, Answer)
    if earlier is not None:
        return earlier
    check_rate_limit(author, "answer")
    decision = evaluate_content(author=author, space=post.space, title="", body=body)
    rendered = render(body)
    with transaction.atomic():
        earlier = _claim_submission(author, submission_token, Answer)
        if earlier is not None:
            return earlier
        answer = Answer.objects.create(
            post=post,
            author=author,
            body=body,
            body_html=rendered.html,
        )
        judge(answer, decision, edited=False)
        for item in prepared:
            store_attachment(item, uploader=author, post=None, answer=answer)
        if not decision.is_held:
            now = timezone.now()
            Post.objects.filter(pk=post.pk).update(
                answer_count=F("answer_count") + 1,
                first_answer_at=Coalesce(F("first_answer_at"), now),
                last_activity_at=now,
            )
        # A held answer tells nobody and earns nothing yet; approving it dispatches this activity.
        record_activity(
            actor=author,
            verb=Verb.ANSWERED,
            target=answer,
            space_id=post.space_id,
            details={
                "post_id": post.pk,
                "is_held": decision.is_held,
                "mentioned_member_ids": _visible_mentions(
                    rendered.mentioned_member_ids, post, author
                ),
            },
            dispatch=not decision.is_held,
        )
        thread_changed(post.pk)
        _finish_submission(author, submission_token, answer)
    post.refresh_from_db(fields=["answer_count", "first_answer_at", "last_activity_at"])
    return answer


def edit_answer(
    *,
    editor: Member,
    answer: Answer,
    body: str,
    expected_edited_at: datetime | str | None = "",
    reason: str = "",
    access: PostAccess | None = None,
) -> Answer:
    """Change an answer's text, keeping the previous version."""
    if not can_edit_answer(editor, answer, access):
        raise PermissionDenied("edit_answer")
    body = clean_body(body)
    is_author = answer.author_id == editor.pk
    decision = (
        evaluate_content(author=editor, space=answer.post.space, title="", body=body)
        if is_author
        else None
    )
    rendered = render(body)
    with transaction.atomic():
        locked = Answer.objects.select_for_update().get(pk=answer.pk)
        _check_fresh(locked.edited_at, expected_edited_at)
        if locked.body == body:
            return locked
        Revision.objects.create(answer=locked, editor=editor, body=locked.body, reason=reason[:200])
        locked.body, locked.body_html, locked.edited_at = body, rendered.html, timezone.now()
        was_published = locked.status == ContentStatus.PUBLISHED
        locked.save()
        if decision is not None and locked.status in (ContentStatus.PUBLISHED, ContentStatus.HELD):
            judge(locked, decision, edited=True)
        if was_published != (locked.status == ContentStatus.PUBLISHED):
            recount_answers(locked.post_id)
        if not is_author:
            record_audit(actor=editor, action="content.answer_edited", target=locked, reason=reason)
        thread_changed(locked.post_id)
    return locked


# ---------------------------------------------------------------- comments


def create_comment(
    *,
    author: Member,
    post: Post,
    body: str,
    answer: Answer | None = None,
    submission_token: str = "",
    access: PostAccess | None = None,
) -> Comment:
    """A short plain-text comment under a post or one of its answers."""
    _check_signed_in(author)
    if not decided_post_access(author, post, access).can_answer:
        raise PermissionDenied("comment")
    if answer is not None and (
        answer.post_id != post.pk or answer.status != ContentStatus.PUBLISHED
    ):
        raise PermissionDenied("comment_answer")
    body = clean_body(body, limit=COMMENT_MAX_LENGTH)
    earlier = _earlier_submission(author, submission_token, Comment)
    if earlier is not None:
        return earlier
    with transaction.atomic():
        earlier = _claim_submission(author, submission_token, Comment)
        if earlier is not None:
            return earlier
        comment = Comment.objects.create(post=post, answer=answer, author=author, body=body)
        Post.objects.filter(pk=post.pk).update(last_activity_at=timezone.now())
        record_activity(
            actor=author,
            verb=Verb.COMMENTED,
            target=comment,
            space_id=post.space_id,
            details={"post_id": post.pk, "answer_id": answer.pk if answer else None},
        )
        _finish_submission(author, submission_token, comment)
    return comment


# ---------------------------------------------------------------- views


VIEW_WINDOW_SECONDS = 60 * 60


def record_post_view(*, viewer: Viewer, post: Post, access: PostAccess | None = None) -> bool:
    """Count a signed-in member's view once per post per hour; True when this view counted."""
    if not is_signed_in(viewer) or not decided_post_access(viewer, post, access).can_view:
        return False
    if not cache.add(f"content:viewed:{viewer.pk}:{post.pk}", 1, VIEW_WINDOW_SECONDS):
        return False
    with transaction.atomic():
        Post.objects.filter(pk=post.pk).update(view_count=F("view_count") + 1)
        record_activity(actor=viewer, verb=Verb.VIEWED, target=post, space_id=post.space_id)
    return True
