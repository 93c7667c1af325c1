"""Reads of posts and threads shared by the pages (and later the API): always through the policy."""

import difflib
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch, Q, QuerySet

from kizuna.content.models import Answer, Attachment, Comment, ContentStatus, Post, Revision, Tag
from kizuna.content.permissions import PostAccess, answers_visible_to, posts_visible_to
from kizuna.identity.models import Member
from kizuna.identity.permissions import Viewer, is_signed_in, profiles_listed_to
from kizuna.spaces.models import Membership, Space
from kizuna.spaces.permissions import SpaceAccess, decided_space_access, get_space_access

SORT_ACTIVITY = "activity"
SORT_NEWEST = "newest"
SORTS = {SORT_ACTIVITY: ("-last_activity_at", "-id"), SORT_NEWEST: ("-created_at", "-id")}
MENTION_SUGGESTIONS = 8


def list_posts_for_space(
    viewer: Viewer,
    space: Space,
    *,
    post_type: str = "",
    tag: Tag | None = None,
    solved: str = "",
    sort: str = SORT_ACTIVITY,
) -> QuerySet[Post]:
    """A space's feed as this viewer may read it, filtered and sorted; tags and authors prefetched."""
    posts = (
        posts_visible_to(viewer)
        .filter(space=space)
        .select_related("author", "space")
        .prefetch_related(Prefetch("tags", queryset=Tag.objects.order_by("name")))
    )
    if post_type:
        posts = posts.filter(post_type=post_type)
    if tag is not None:
        posts = posts.filter(tags=tag)
    if solved == "yes":
        posts = posts.filter(accepted_answer__isnull=False)
    elif solved == "no":
        posts = posts.filter(post_type="question", accepted_answer__isnull=True)
    return posts.order_by(*SORTS.get(sort, SORTS[SORT_ACTIVITY]))


def list_answers_for_thread(
    viewer: Viewer, post: Post, access: PostAccess | None = None
) -> QuerySet[Answer]:
    """The answers the viewer may read, oldest first, with authors, attachments and comments."""
    return (
        answers_visible_to(viewer, post, access)
        .select_related("author")
        .prefetch_related(
            Prefetch("attachments", queryset=Attachment.objects.order_by("created_at", "id")),
            Prefetch(
                "comments",
                queryset=Comment.objects.filter(status=ContentStatus.PUBLISHED).select_related(
                    "author"
                ),
            ),
        )
        .order_by("created_at", "id")
    )


def list_post_comments(post: Post) -> QuerySet[Comment]:
    """Published comments on the post itself (not on its answers)."""
    return post.comments.filter(answer__isnull=True, status=ContentStatus.PUBLISHED).select_related(
        "author"
    )


@dataclass(frozen=True)
class RevisionDiff:
    """One step of a post's history: who changed what, as unified diff lines."""

    editor: Member
    created_at: datetime
    reason: str
    title_changed: bool
    old_title: str
    new_title: str
    lines: list[tuple[str, str]]  # (kind, text): kind is "add", "remove", "context" or "hunk"


def _diff_lines(old: str, new: str) -> list[tuple[str, str]]:
    lines: list[tuple[str, str]] = []
    for line in difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=2):
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("@@"):
            lines.append(("hunk", "…"))
        elif line.startswith("+"):
            lines.append(("add", line[1:]))
        elif line.startswith("-"):
            lines.append(("remove", line[1:]))
        else:
            lines.append(("context", line[1:]))
    return lines


def list_revision_diffs(target: Post | Answer) -> list[RevisionDiff]:
    """The edit history, newest change first: each revision compared with the text that replaced it."""
    revisions = list(
        Revision.objects.filter(**{"post" if isinstance(target, Post) else "answer": target})
        .select_related("editor")
        .order_by("-created_at", "-id")
    )
    current_title = target.title if isinstance(target, Post) else ""
    newer_title, newer_body = current_title, target.body
    diffs = []
    for revision in revisions:
        diffs.append(
            RevisionDiff(
                editor=revision.editor,
                created_at=revision.created_at,
                reason=revision.reason,
                title_changed=revision.title != newer_title,
                old_title=revision.title,
                new_title=newer_title,
                lines=_diff_lines(revision.body, newer_body),
            )
        )
        newer_title, newer_body = revision.title, revision.body
    return diffs


def list_mention_candidates(
    viewer: Viewer, space: Space, prefix: str, *, access: SpaceAccess | None = None
) -> list[Member]:
    """Members whose name starts with the prefix and who may read the space; empty for non-readers.

    `access` is the caller's decision on the space for the viewer, so that it is not asked again.

    Candidates come from the space's members (and staff, who read every space), so the
    list never reveals who belongs to a space the viewer cannot see, and only from members
    listed to the viewer: a member who chose not to be listed is never suggested.
    """
    prefix = prefix.strip()
    if (
        not prefix
        or not is_signed_in(viewer)
        or not decided_space_access(viewer, space, access).can_view_content
    ):
        return []
    in_space = Q(pk__in=Membership.objects.filter(space=space).values("member_id")) | ~Q(
        staff_role=""
    )
    matches = (
        profiles_listed_to(viewer)
        .filter(in_space)
        .filter(Q(display_name__istartswith=prefix) | Q(display_name__icontains=f" {prefix}"))
    )
    candidates = list(matches.order_by("display_name", "pk")[: MENTION_SUGGESTIONS * 3])
    readable = [member for member in candidates if get_space_access(member, space).can_view_content]
    return readable[:MENTION_SUGGESTIONS]


def can_use_staff_types(viewer: Viewer) -> bool:
    """Announcements are for staff."""
    return bool(getattr(viewer, "is_staff_member", False))
