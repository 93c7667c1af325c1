"""Pages and buttons for reactions, bookmarks, follows, accepted answers, the unanswered queue
and the knowledge section.

Every button is a plain form post that redirects back (to the page it came from) and,
with `HX-Request`, answers with the fragment it replaces. Views parse input, call one
service or selector and render; the rules live in engagement, qa and knowledge.
"""

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from kizuna.content import engagement, knowledge, qa
from kizuna.content.access import access_answer, access_post
from kizuna.content.engagement_forms import KnowledgeForm, UnansweredFilterForm
from kizuna.content.models import Answer, ContentStatus, KnowledgeArticle, Post, Reaction, Tag
from kizuna.content.permissions import (
    PostAccess,
    can_promote_to_knowledge,
    can_view_post,
    tags_visible_to,
)
from kizuna.content.templatetags.content_engagement import thread_url
from kizuna.core.forms import add_service_errors
from kizuna.core.htmx import HtmxHttpRequest
from kizuna.core.navigation import safe_next_path
from kizuna.core.pagination import paginate
from kizuna.identity.models import Member
from kizuna.identity.permissions import is_signed_in
from kizuna.spaces.models import Space
from kizuna.spaces.permissions import SpaceAccess, access_space, get_space_access

# ---------------------------------------------------------------- helpers


def _member(request: HttpRequest) -> Member:
    """The signed-in member; call only after checking `is_signed_in`."""
    return cast(Member, request.user)


def _next_url(request: HttpRequest) -> str:
    """The page the button was on, if it is one of ours; else ''."""
    return safe_next_path(request, request.POST.get("next", ""))


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    return redirect(_next_url(request) or fallback)


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


class _SignedInPostView(View):
    """A button action: anonymous people are sent to sign in, then back to the page."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.method == "POST" and not is_signed_in(request.user):
            return redirect_to_login(_next_url(request) or reverse("home"))
        return super().dispatch(request, *args, **kwargs)


# ---------------------------------------------------------------- reactions


class ReactionView(_SignedInPostView):
    """Like or unlike a post (answer_pk absent) or an answer."""

    add = True
    on_answer = False

    def post(self, request: HtmxHttpRequest, pk: int) -> HttpResponse:
        answer: Answer | None = None
        if self.on_answer:
            answer_access = access_answer(request.user, pk)
            answer = answer_access.answer
            access = answer_access.post_access
        else:
            access = access_post(request.user, pk)
        post = access.post
        error = ""
        try:
            if self.add:
                engagement.react(member=request.user, post=post, answer=answer, access=access)
            else:
                engagement.unreact(member=request.user, post=post, answer=answer)
        except ValidationError as refusal:
            error = _error_text(refusal)
        if not request.htmx:
            if error:
                messages.error(request, error)
            return _back(request, thread_url(post))
        target: Post | Answer = answer if answer is not None else post
        target.refresh_from_db(fields=["reaction_count"])
        has_reacted = Reaction.objects.filter(
            member=_member(request), post_id=post.pk, answer=answer
        ).exists()
        context = {
            "target_kind": "answer" if answer is not None else "post",
            "target": target,
            "has_reacted": has_reacted,
            "can_react": engagement.can_react(request.user, post, answer, access),
            "error": error,
            "next_url": _next_url(request),
        }
        return render(
            request,
            "content/engagement/reaction_button.html",
            context,
            status=400 if error else 200,
        )


# ---------------------------------------------------------------- bookmarks


class BookmarkView(_SignedInPostView):
    add = True

    def post(self, request: HtmxHttpRequest, pk: int) -> HttpResponse:
        access = access_post(request.user, pk)
        post = access.post
        if self.add:
            engagement.bookmark(member=request.user, post=post, access=access)
        else:
            engagement.unbookmark(member=request.user, post=post)
        if not request.htmx:
            if self.add:
                messages.success(request, _("Saved to your bookmarks."))
            return _back(request, thread_url(post))
        context = {"post": post, "has_bookmarked": self.add, "next_url": _next_url(request)}
        return render(request, "content/engagement/bookmark_button.html", context)


class BookmarkListView(View):
    """My bookmarks: saved threads I may still read, newest first."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not is_signed_in(request.user):
            return redirect_to_login(request.get_full_path())
        page = paginate(request, engagement.list_bookmarks(request.user))
        return render(request, "content/engagement/bookmarks/index.html", {"page": page})


# ---------------------------------------------------------------- follows


class FollowView(_SignedInPostView):
    """Follow or unfollow a post (pk), a space (slug) or a tag (slug)."""

    add = True
    kind = "post"

    def _target(
        self, request: HttpRequest, key: str | int
    ) -> tuple[engagement.FollowTarget, Post | Space | Tag, str, PostAccess | SpaceAccess | None]:
        """What to follow, the object its button shows, the page to go back to, and the
        decision on a followed post or space."""
        if self.kind == "post":
            access = access_post(request.user, int(key))
            post = access.post
            return engagement.FollowTarget(post=post), post, thread_url(post), access
        if self.kind == "space":
            space_access = access_space(request.user, str(key))
            if not space_access.can_view_content:
                raise Http404
            space = space_access.space
            return (
                engagement.FollowTarget(space=space),
                space,
                reverse("spaces:space-detail", args=[space.slug]),
                space_access,
            )
        tag = engagement.get_followable_tag(_member(request), str(key))
        if tag is None:
            raise Http404
        return engagement.FollowTarget(tag=tag), tag, reverse("home"), None

    def post(self, request: HtmxHttpRequest, key: str | int) -> HttpResponse:
        target, obj, fallback, access = self._target(request, key)
        if self.add:
            engagement.follow(
                member=request.user,
                target=target,
                access=access if isinstance(access, PostAccess) else None,
                space_access=access if isinstance(access, SpaceAccess) else None,
            )
        else:
            engagement.unfollow(member=request.user, target=target)
        if not request.htmx:
            return _back(request, fallback)
        context = {
            "follow_kind": self.kind,
            "follow_target": obj,
            "is_following": self.add,
            "next_url": _next_url(request),
        }
        return render(request, "content/engagement/follow_button.html", context)


# ---------------------------------------------------------------- accepted answers


class AcceptAnswerView(_SignedInPostView):
    """Accept an answer (pk of the answer) or take the acceptance back (pk of the question)."""

    accept = True

    def post(self, request: HtmxHttpRequest, pk: int) -> HttpResponse:
        previous_id: int | None
        if self.accept:
            answer_access = access_answer(request.user, pk)
            answer = answer_access.answer
            access = answer_access.post_access
            post = access.post
            previous_id = post.accepted_answer_id
        else:
            access = access_post(request.user, pk)
            post = access.post
            previous_id = None
            if post.accepted_answer_id is None:
                return _back(request, thread_url(post))
            answer = get_object_or_404(Answer, pk=post.accepted_answer_id)
        error = ""
        try:
            if self.accept:
                qa.accept_answer(actor=_member(request), post=post, answer=answer, access=access)
            else:
                qa.unaccept_answer(actor=_member(request), post=post, access=access)
        except PermissionDenied:
            raise
        except ValidationError as refusal:
            error = _error_text(refusal)
        post.refresh_from_db(fields=["accepted_answer", "solved_at", "is_peer_resolved"])
        if not request.htmx:
            if error:
                messages.error(request, error)
            elif self.accept:
                messages.success(request, _("You accepted this answer. The question is solved."))
            else:
                messages.success(request, _("The answer is no longer accepted."))
            return _back(request, thread_url(post))
        can_accept = access.can_accept
        html = render(
            request,
            "content/engagement/accept_button.html",
            self._context(request, post, answer, can_accept, error=error),
        ).content.decode()
        if previous_id and previous_id != answer.pk:
            # Accepting another answer moves the mark: the old one loses its badge out of band.
            previous = Answer.objects.filter(pk=previous_id).first()
            if previous is not None:
                html += render(
                    request,
                    "content/engagement/accept_button.html",
                    self._context(request, post, previous, can_accept, is_oob=True),
                ).content.decode()
        return HttpResponse(html, status=400 if error else 200)

    def _context(
        self,
        request: HttpRequest,
        post: Post,
        answer: Answer,
        can_accept: bool,
        *,
        error: str = "",
        is_oob: bool = False,
    ) -> dict[str, Any]:
        return {
            "post": post,
            "answer": answer,
            "is_accepted": post.accepted_answer_id == answer.pk,
            "can_accept": can_accept and answer.status == ContentStatus.PUBLISHED,
            "error": error,
            "is_oob": is_oob,
            "next_url": _next_url(request),
        }


# ---------------------------------------------------------------- the unanswered queue


class UnansweredView(View):
    """Questions waiting for an answer, oldest first, for CSMs and space hosts and moderators."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not is_signed_in(request.user):
            return redirect_to_login(request.get_full_path())
        if not qa.can_view_unanswered_queue(request.user):
            raise PermissionDenied
        spaces = qa.queue_spaces_for(request.user).order_by("name", "pk")
        # Only tags the viewer may already read about: the list must not name private ones.
        tags = tags_visible_to(request.user).order_by("name")
        form = UnansweredFilterForm(request.GET, spaces=spaces, tags=tags)
        space, tag, include_unsolved = None, None, False
        if form.is_valid():
            space = form.cleaned_data["space"]
            tag = form.cleaned_data["tag"]
            include_unsolved = form.cleaned_data["show"] == UnansweredFilterForm.UNSOLVED
        questions = qa.list_unanswered(
            request.user, space=space, tag=tag, include_unsolved=include_unsolved
        )
        context = {
            "form": form,
            "page": paginate(request, questions),
            "is_filtered": bool(space or tag),
            "include_unsolved": include_unsolved,
        }
        return render(request, "content/unanswered/index.html", context)


# ---------------------------------------------------------------- knowledge


class SpaceKnowledgeView(View):
    """A space's knowledge section: articles and FAQ entries promoted from solved threads."""

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        access = access_space(request.user, slug)
        if not access.can_view_content:
            # The space page explains why (sign in, apply, customers only) without showing content.
            return redirect("spaces:space-detail", slug=access.space.slug)
        space = access.space
        kind = request.GET.get("kind", "")
        if kind not in KnowledgeArticle.Kind.values:
            kind = ""
        articles = knowledge.list_knowledge_for_space(request.user, space, kind=kind, access=access)
        context = {
            "space": space,
            "page": paginate(request, articles),
            "kind": kind,
            "kinds": KnowledgeArticle.Kind.choices,
        }
        return render(request, "content/knowledge/space_knowledge/index.html", context)


def _article_or_404(request: HttpRequest, pk: int) -> tuple[KnowledgeArticle, SpaceAccess]:
    """The article with the viewer's decision on its space, when they may read that space."""
    article = get_object_or_404(
        KnowledgeArticle.objects.select_related(
            "space__parent", "source_post__space", "promoted_by"
        ),
        pk=pk,
    )
    access = get_space_access(request.user, article.space)
    if not access.can_view_content:
        raise Http404
    return article, access


class KnowledgeArticleView(View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        article, access = _article_or_404(request, pk)
        source = article.source_post
        context = {
            "article": article,
            "space": article.space,
            "source_post": source
            if source and can_view_post(request.user, source, access)
            else None,
            "can_edit": knowledge.can_edit_knowledge_article(request.user, article, access),
        }
        return render(request, "content/knowledge/article/index.html", context)


class KnowledgePromoteView(View):
    """The form that turns a solved thread into a knowledge article or FAQ entry."""

    template_name = "content/knowledge/promote/index.html"

    def _access(self, request: HttpRequest, pk: int) -> PostAccess:
        if not is_signed_in(request.user):
            raise PermissionDenied
        access = access_post(request.user, pk)
        if not can_promote_to_knowledge(request.user, access.post, access):
            raise PermissionDenied
        return access

    def _render(
        self, request: HttpRequest, post: Post, form: KnowledgeForm, status: int = 200
    ) -> HttpResponse:
        context = {"post": post, "form": form, "space": post.space}
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not is_signed_in(request.user):
            return redirect_to_login(request.get_full_path())
        post = self._access(request, pk).post
        existing = KnowledgeArticle.objects.filter(source_post=post).first()
        if existing is not None:
            messages.info(request, _("This thread is already in the knowledge section."))
            return redirect("engagement:knowledge-article", pk=existing.pk)
        accepted = post.accepted_answer
        body = post.body if accepted is None else f"{post.body}\n\n---\n\n{accepted.body}"
        form = KnowledgeForm(initial={"title": post.title, "body": body})
        return self._render(request, post, form)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not is_signed_in(request.user):
            return redirect_to_login(request.get_full_path())
        access = self._access(request, pk)
        post = access.post
        form = KnowledgeForm(request.POST)
        if form.is_valid():
            try:
                article = knowledge.promote_to_knowledge(
                    actor=_member(request), post=post, access=access, **form.cleaned_data
                )
            except knowledge.KnowledgeError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The thread is now in the knowledge section."))
                return redirect("engagement:knowledge-article", pk=article.pk)
        return self._render(request, post, form, status=400)


class KnowledgeEditView(View):
    template_name = "content/knowledge/edit/index.html"

    def _article(self, request: HttpRequest, pk: int) -> tuple[KnowledgeArticle, SpaceAccess]:
        article, access = _article_or_404(request, pk)
        if not knowledge.can_edit_knowledge_article(request.user, article, access):
            raise PermissionDenied
        return article, access

    def _render(
        self,
        request: HttpRequest,
        article: KnowledgeArticle,
        form: KnowledgeForm,
        status: int = 200,
    ) -> HttpResponse:
        context = {"article": article, "form": form, "space": article.space}
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not is_signed_in(request.user):
            return redirect_to_login(request.get_full_path())
        article, _access = self._article(request, pk)
        initial = {"kind": article.kind, "title": article.title, "body": article.body}
        return self._render(request, article, KnowledgeForm(initial=initial))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not is_signed_in(request.user):
            return redirect_to_login(request.get_full_path())
        article, access = self._article(request, pk)
        form = KnowledgeForm(request.POST)
        if form.is_valid():
            try:
                knowledge.edit_knowledge_article(
                    actor=_member(request), article=article, access=access, **form.cleaned_data
                )
            except knowledge.KnowledgeError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The article is saved."))
                return redirect("engagement:knowledge-article", pk=article.pk)
        return self._render(request, article, form, status=400)
