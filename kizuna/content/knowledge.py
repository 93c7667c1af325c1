"""Knowledge: solved threads that staff promote to a knowledge article or FAQ entry (S2).

An article keeps its link to the thread it came from and is read by whoever reads
its space. Only staff who moderate the space promote and edit (seed 001: product
knowledge becomes blog and FAQ content).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kizuna.content.markdown import render_markdown
from kizuna.content.models import KnowledgeArticle, Post
from kizuna.content.permissions import PostAccess, can_promote_to_knowledge

# An article starts as a post's title and text, so it has the post's limits.
from kizuna.content.validation import BODY_MAX_LENGTH, TITLE_MAX_LENGTH
from kizuna.core.audit import record_audit
from kizuna.identity.models import Member
from kizuna.identity.permissions import Viewer
from kizuna.spaces.models import Space
from kizuna.spaces.permissions import SpaceAccess, decided_space_access


class KnowledgeError(ValidationError):
    """The article cannot be written as asked."""


def can_edit_knowledge_article(
    viewer: Viewer, article: KnowledgeArticle, access: SpaceAccess | None = None
) -> bool:
    """Staff who moderate the article's space edit it, as they promoted it."""
    return (
        bool(getattr(viewer, "is_staff_member", False))
        and decided_space_access(viewer, article.space, access).can_moderate
    )


def _clean(title: str, body: str, kind: str) -> tuple[str, str]:
    title, body = title.strip(), body.strip()
    errors: dict[str, list[ValidationError]] = {}
    if not title:
        errors["title"] = [ValidationError(_("Give the article a title."), code="required")]
    elif len(title) > TITLE_MAX_LENGTH:
        errors["title"] = [ValidationError(_("The title is too long."), code="max_length")]
    if not body:
        errors["body"] = [ValidationError(_("Write the article's text."), code="required")]
    elif len(body) > BODY_MAX_LENGTH:
        errors["body"] = [ValidationError(_("The text is too long."), code="max_length")]
    if kind not in KnowledgeArticle.Kind.values:
        errors["kind"] = [ValidationError(_("Choose article or FAQ entry."), code="invalid")]
    if errors:
        raise KnowledgeError(errors)
    return title, body


def promote_to_knowledge(
    *,
    actor: Member,
    post: Post,
    kind: str,
    title: str,
    body: str,
    access: PostAccess | None = None,
) -> KnowledgeArticle:
    """Turn a solved thread into a knowledge article or FAQ entry that links back to it.

    `access` is the caller's decision on the post (kizuna.content.access), so that the space
    is not asked again.
    """
    if not can_promote_to_knowledge(actor, post, access):
        raise PermissionDenied("promote_to_knowledge")
    title, body = _clean(title, body, kind)
    try:
        with transaction.atomic():
            # Lock the thread so two staff promoting it at once make one article, not an error page.
            Post.objects.select_for_update().filter(pk=post.pk).first()
            if KnowledgeArticle.objects.filter(source_post=post).exists():
                raise KnowledgeError(
                    _("This thread is already in the knowledge section."), code="already_promoted"
                )
            article = KnowledgeArticle.objects.create(
                space_id=post.space_id,
                source_post=post,
                kind=kind,
                title=title,
                body=body,
                body_html=render_markdown(body),
                promoted_by=actor,
            )
            record_audit(
                actor=actor,
                action="content.promoted_to_knowledge",
                target=article,
                details={"post_id": post.pk, "kind": kind},
            )
    except IntegrityError as error:
        raise KnowledgeError(
            _("This thread is already in the knowledge section."), code="already_promoted"
        ) from error
    return article


def write_knowledge_article(
    *,
    actor: Member,
    space: Space,
    kind: str,
    title: str,
    body: str,
    access: SpaceAccess | None = None,
) -> KnowledgeArticle:
    """An article written from what was learnt outside a thread (a cohort's feedback or insight),
    by the same staff and under the same checks as a promoted thread; it has no source post."""
    if not (
        bool(getattr(actor, "is_staff_member", False))
        and decided_space_access(actor, space, access).can_moderate
    ):
        raise PermissionDenied("write_knowledge_article")
    title, body = _clean(title, body, kind)
    with transaction.atomic():
        article = KnowledgeArticle.objects.create(
            space=space,
            kind=kind,
            title=title,
            body=body,
            body_html=render_markdown(body),
            promoted_by=actor,
        )
        record_audit(
            actor=actor, action="content.knowledge_written", target=article, details={"kind": kind}
        )
    return article


def edit_knowledge_article(
    *,
    actor: Member,
    article: KnowledgeArticle,
    kind: str,
    title: str,
    body: str,
    access: SpaceAccess | None = None,
) -> KnowledgeArticle:
    """Change an article's kind, title or text; `access` is the caller's decision on its space."""
    if not can_edit_knowledge_article(actor, article, access):
        raise PermissionDenied("edit_knowledge_article")
    title, body = _clean(title, body, kind)
    with transaction.atomic():
        article.kind, article.title, article.body = kind, title, body
        article.body_html = render_markdown(body)
        article.save(update_fields=["kind", "title", "body", "body_html", "updated_at"])
        record_audit(actor=actor, action="content.knowledge_edited", target=article)
    return article


def list_knowledge_for_space(
    viewer: Viewer, space: Space, *, kind: str = "", access: SpaceAccess | None = None
) -> QuerySet[KnowledgeArticle]:
    """A space's knowledge articles and FAQ entries, newest first; nothing if its content is hidden."""
    if not decided_space_access(viewer, space, access).can_view_content:
        return KnowledgeArticle.objects.none()
    articles = KnowledgeArticle.objects.filter(space=space).order_by("-created_at", "-id")
    if kind:
        articles = articles.filter(kind=kind)
    return articles
