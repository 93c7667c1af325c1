"""The forum pages: a space's feed, the composer, the thread, answers, comments, edits and history.

Views parse input, ask kizuna.content.permissions or call one service, and render.
Every action works as a plain form post (redirect after success) and, where the page
uses HTMX, returns the fragment it swaps when the request carries `HX-Request`.
A space's feed and composer answer a viewer who may not read it with the space's denial
page; a thread, its answers and its history answer 404 exactly as if they did not exist.
"""

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django_htmx.http import reswap, retarget

from kizuna.content import selectors, services
from kizuna.content.access import AnswerAccess, access_answer, access_attachment, access_post
from kizuna.content.forms import (
    AnswerEditForm,
    AnswerForm,
    CommentForm,
    FeedFilterForm,
    PostEditForm,
    PostForm,
    PreviewForm,
    edited_marker,
    parse_edited_marker,
)
from kizuna.content.markdown import mention_markup, render_markdown
from kizuna.content.models import Answer, ContentStatus, Post, PostType
from kizuna.content.permissions import (
    PostAccess,
    answers_visible_to,
    can_post_in_space,
    tags_visible_to,
)
from kizuna.core.forms import add_service_errors
from kizuna.core.htmx import HtmxHttpRequest
from kizuna.core.numbers import parse_positive_integer
from kizuna.core.pagination import paginate
from kizuna.identity.models import Member
from kizuna.identity.permissions import is_signed_in
from kizuna.moderation.selectors import held_reasons
from kizuna.spaces.denied_page import space_denied_page
from kizuna.spaces.models import Space
from kizuna.spaces.permissions import SpaceAccess, access_space

FEED_PAGE_SIZE = 20
EMBED_PAGE_SIZE = 5
ANSWERS_PAGE_SIZE = 50


# ---------------------------------------------------------------- helpers


def _member(request: HttpRequest) -> Member:
    return cast(Member, request.user)


def _refuse_space(request: HttpRequest, access: SpaceAccess) -> HttpResponse:
    """Why this viewer may not write here: sign in, the denial page, or a plain 403."""
    if not is_signed_in(request.user):
        return redirect_to_login(request.get_full_path())
    if access.denial is not None:
        return space_denied_page(request, access)
    raise PermissionDenied


def _thread_url(post: Post) -> str:
    return reverse("content:post-detail", args=[post.pk])


def _answer_url(answer: Answer) -> str:
    """The thread page holding this answer, at the answer."""
    position = Answer.objects.filter(
        post_id=answer.post_id, status=ContentStatus.PUBLISHED, created_at__lt=answer.created_at
    ).count()
    page = position // ANSWERS_PAGE_SIZE + 1
    suffix = f"?page={page}" if page > 1 else ""
    return f"{reverse('content:post-detail', args=[answer.post_id])}{suffix}#answer-{answer.pk}"


# ---------------------------------------------------------------- the feed


class SpaceFeedView(View):
    """A space's posts; the full page, or the list alone for HTMX (filters and the space page)."""

    def get(self, request: HtmxHttpRequest, slug: str) -> HttpResponse:
        access = access_space(request.user, slug)
        if not access.can_view_content:
            return space_denied_page(request, access)
        space = access.space
        form = FeedFilterForm(request.GET or None)
        filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
        # A tag on other spaces' private posts only must filter like a tag that does not exist.
        tag = (
            tags_visible_to(request.user).filter(slug=filters["tag"]).first()
            if filters.get("tag")
            else None
        )
        posts = selectors.list_posts_for_space(
            request.user,
            space,
            post_type=filters.get("type", ""),
            tag=tag,
            solved=filters.get("solved", ""),
            sort=filters.get("sort") or selectors.SORT_ACTIVITY,
        )
        is_embedded = request.GET.get("embed") == "1"
        page = paginate(request, posts, per_page=EMBED_PAGE_SIZE if is_embedded else FEED_PAGE_SIZE)
        context = {
            "space": space,
            "access": access,
            "form": form if form.is_bound else FeedFilterForm(),
            "page": page,
            "posts": page.object_list,
            "tag": tag,
            "is_filtered": any(filters.get(key) for key in ("type", "tag", "solved")),
            "can_post": can_post_in_space(request.user, space, access),
            "is_embedded": is_embedded,
        }
        if request.htmx:
            return render(request, "content/space_feed/partial.html", context)
        return render(request, "content/space_feed/index.html", context)


# ---------------------------------------------------------------- the composer


class PostCreateView(View):
    def _form(self, request: HttpRequest, data: Any = None, files: Any = None) -> PostForm:
        return PostForm(
            data,
            files,
            allow_staff_types=selectors.can_use_staff_types(request.user),
            initial={"post_type": request.GET.get("type") or PostType.QUESTION},
        )

    def _render(
        self, request: HttpRequest, space: Space, form: PostForm, status: int = 200
    ) -> HttpResponse:
        return render(
            request,
            "content/post_create/index.html",
            {"space": space, "form": form},
            status=status,
        )

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        access = access_space(request.user, slug)
        if not can_post_in_space(request.user, access.space, access):
            return _refuse_space(request, access)
        return self._render(request, access.space, self._form(request))

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        access = access_space(request.user, slug)
        space = access.space
        if not can_post_in_space(request.user, space, access):
            return _refuse_space(request, access)
        form = self._form(request, request.POST, request.FILES)
        if not form.is_valid():
            return self._render(request, space, form, status=400)
        data = form.cleaned_data
        try:
            post = services.create_post(
                author=_member(request),
                space=space,
                post_type=data["post_type"],
                title=data["title"],
                body=data["body"],
                tags=data["tags"],
                public_use_consent=data["public_use_consent"],
                attachments=data["attachments"],
                submission_token=data["submission_token"],
                access=access,
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self._render(request, space, form, status=400)
        if post.status == ContentStatus.HELD:
            messages.warning(
                request, _("Your post is held for review. A moderator will look at it soon.")
            )
        else:
            messages.success(request, _("Your post is published."))
        return redirect(_thread_url(post))


class MarkdownPreviewView(View):
    """What a Markdown text will look like, rendered exactly as it will be stored."""

    def post(self, request: HttpRequest) -> HttpResponse:
        if not is_signed_in(request.user):
            raise PermissionDenied
        form = PreviewForm(request.POST)
        body = form.cleaned_data["body"] if form.is_valid() else ""
        return render(
            request,
            "content/components/preview.html",
            {"html": render_markdown(body) if body else ""},
        )


# ---------------------------------------------------------------- the thread


class PostDetailView(View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        access = access_post(request.user, pk)
        post = access.post
        services.record_post_view(viewer=request.user, post=post, access=access)
        answers = paginate(
            request,
            selectors.list_answers_for_thread(request.user, post, access),
            per_page=ANSWERS_PAGE_SIZE,
        )
        viewer_id = request.user.pk if is_signed_in(request.user) else None
        context = {
            "post": post,
            "space": post.space,
            "page": answers,
            "answers": answers.object_list,
            "comments": selectors.list_post_comments(post),
            "post_access": access,
            "can_answer": access.can_answer,
            "can_edit": access.can_edit,
            "can_moderate": access.can_moderate,
            "is_author": viewer_id == post.author_id,
            "held_reasons": held_reasons(post) if viewer_id == post.author_id else [],
            "answer_form": AnswerForm(),
            "comment_form": CommentForm(),
            "viewer_id": viewer_id,
        }
        return render(request, "content/post_detail/index.html", context)


class PostEditView(View):
    def _load(self, request: HttpRequest, pk: int) -> PostAccess | HttpResponse:
        access = access_post(request.user, pk)
        if not is_signed_in(request.user):
            return redirect_to_login(request.get_full_path())
        if not access.can_edit:
            raise PermissionDenied
        return access

    def _render(
        self, request: HttpRequest, post: Post, form: PostEditForm, status: int = 200
    ) -> HttpResponse:
        return render(
            request,
            "content/post_edit/index.html",
            {
                "post": post,
                "space": post.space,
                "form": form,
                "held_reasons": held_reasons(post) if post.author_id == request.user.pk else [],
            },
            status=status,
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        access = self._load(request, pk)
        if isinstance(access, HttpResponse):
            return access
        found = access.post
        form = PostEditForm(
            initial={
                "title": found.title,
                "body": found.body,
                "tags": ", ".join(tag.name for tag in found.tags.all()),
                "public_use_consent": found.public_use_consent,
                "edited_marker": edited_marker(found.edited_at),
            },
            is_case_study=found.post_type == PostType.CASE_STUDY,
        )
        return self._render(request, found, form)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        access = self._load(request, pk)
        if isinstance(access, HttpResponse):
            return access
        found = access.post
        form = PostEditForm(request.POST, is_case_study=found.post_type == PostType.CASE_STUDY)
        if not form.is_valid():
            return self._render(request, found, form, status=400)
        data = form.cleaned_data
        was_held = found.status == ContentStatus.HELD
        try:
            post = services.edit_post(
                editor=_member(request),
                post=found,
                title=data["title"],
                body=data["body"],
                tags=data["tags"],
                public_use_consent=data.get("public_use_consent"),
                expected_edited_at=parse_edited_marker(data["edited_marker"]),
                reason=data["reason"],
                access=access,
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self._render(request, found, form, status=409 if _is_stale(error) else 400)
        if post.status == ContentStatus.HELD:
            messages.warning(
                request, _("Your changes are saved. The post is still held for review.")
            )
        elif was_held:
            messages.success(request, _("Thank you. The post passed the checks and is published."))
        else:
            messages.success(request, _("Your changes are saved."))
        return redirect(_thread_url(post))


def _is_stale(error: ValidationError) -> bool:
    return getattr(error, "code", None) == "stale"


class PostHistoryView(View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        found = access_post(request.user, pk).post
        return render(
            request,
            "content/post_history/index.html",
            {
                "post": found,
                "space": found.space,
                "target": found,
                "diffs": selectors.list_revision_diffs(found),
            },
        )


# ---------------------------------------------------------------- answers and comments


class AnswerCreateView(View):
    def post(self, request: HtmxHttpRequest, pk: int) -> HttpResponse:
        access = access_post(request.user, pk)
        found = access.post
        if not is_signed_in(request.user):
            return redirect_to_login(_thread_url(found))
        if not access.can_answer:
            raise PermissionDenied
        form = AnswerForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                answer = services.create_answer(
                    author=_member(request),
                    post=found,
                    body=form.cleaned_data["body"],
                    attachments=form.cleaned_data["attachments"],
                    submission_token=form.cleaned_data["submission_token"],
                    access=access,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return self._answered(request, access, answer)
        context = {"post": found, "space": found.space, "answer_form": form, "can_answer": True}
        if request.htmx:
            # htmx swaps only 2xx responses: show the errors in place of the form.
            response = render(request, "content/post_detail/answer_form.html", context)
            return reswap(retarget(response, "#answer-form"), "outerHTML")
        return render(request, "content/answer_form/index.html", context, status=400)

    def _answered(
        self, request: HtmxHttpRequest, access: PostAccess, answer: Answer
    ) -> HttpResponse:
        if answer.status == ContentStatus.HELD:
            messages.warning(
                request, _("Your answer is held for review. A moderator will look at it soon.")
            )
        if request.htmx:
            return render(
                request,
                "content/post_detail/answer_created.html",
                {
                    "post": access.post,
                    "post_access": access,
                    "answer": answer,
                    "answer_form": AnswerForm(),
                    "comment_form": CommentForm(),
                    "can_answer": True,
                    "can_moderate": access.can_moderate,
                    "viewer_id": request.user.pk,
                },
            )
        return redirect(_answer_url(answer))


class AnswerEditView(View):
    def _load(self, request: HttpRequest, pk: int) -> AnswerAccess | HttpResponse:
        access = access_answer(request.user, pk)
        if not is_signed_in(request.user):
            return redirect_to_login(request.get_full_path())
        if not access.can_edit:
            raise PermissionDenied
        return access

    def _render(
        self, request: HttpRequest, answer: Answer, form: AnswerEditForm, status: int = 200
    ) -> HttpResponse:
        return render(
            request,
            "content/answer_edit/index.html",
            {"answer": answer, "post": answer.post, "space": answer.post.space, "form": form},
            status=status,
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        access = self._load(request, pk)
        if isinstance(access, HttpResponse):
            return access
        found = access.answer
        form = AnswerEditForm(
            initial={"body": found.body, "edited_marker": edited_marker(found.edited_at)}
        )
        return self._render(request, found, form)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        access = self._load(request, pk)
        if isinstance(access, HttpResponse):
            return access
        found = access.answer
        form = AnswerEditForm(request.POST)
        if not form.is_valid():
            return self._render(request, found, form, status=400)
        try:
            answer = services.edit_answer(
                editor=_member(request),
                answer=found,
                body=form.cleaned_data["body"],
                expected_edited_at=parse_edited_marker(form.cleaned_data["edited_marker"]),
                reason=form.cleaned_data["reason"],
                access=access.post_access,
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self._render(request, found, form, status=409 if _is_stale(error) else 400)
        messages.success(request, _("Your changes are saved."))
        return redirect(_answer_url(answer))


class AnswerHistoryView(View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        answer = access_answer(request.user, pk).answer
        return render(
            request,
            "content/post_history/index.html",
            {
                "post": answer.post,
                "space": answer.post.space,
                "target": answer,
                "diffs": selectors.list_revision_diffs(answer),
            },
        )


class CommentCreateView(View):
    def post(self, request: HtmxHttpRequest, pk: int) -> HttpResponse:
        access = access_post(request.user, pk)
        found = access.post
        if not is_signed_in(request.user):
            return redirect_to_login(_thread_url(found))
        form = CommentForm(request.POST)
        if not form.is_valid():
            return self._invalid(request, found, form)
        answer = None
        if form.cleaned_data["answer"]:
            answer = (
                answers_visible_to(request.user, found, access)
                .filter(pk=form.cleaned_data["answer"])
                .first()
            )
            if answer is None:
                raise Http404
        try:
            comment = services.create_comment(
                author=_member(request),
                post=found,
                answer=answer,
                body=form.cleaned_data["body"],
                submission_token=form.cleaned_data["submission_token"],
                access=access,
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self._invalid(request, found, form)
        if request.htmx:
            return render(
                request,
                "content/post_detail/comment_created.html",
                {
                    "comment": comment,
                    "post": found,
                    "answer": answer,
                    "comment_form": CommentForm(),
                },
            )
        anchor = f"answer-{answer.pk}" if answer else "comments"
        return redirect(f"{_answer_url(answer) if answer else _thread_url(found) + '#' + anchor}")

    def _invalid(self, request: HtmxHttpRequest, post: Post, form: CommentForm) -> HttpResponse:
        if request.htmx:
            answer_id = parse_positive_integer(request.POST.get("answer"))
            response = render(
                request,
                "content/post_detail/comment_form.html",
                {"post": post, "comment_form": form, "answer_id": answer_id},
            )
            return reswap(retarget(response, f"#comment-form-{answer_id or 'post'}"), "outerHTML")
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(_thread_url(post))


# ---------------------------------------------------------------- mentions and attachments


class MentionSuggestionsView(View):
    """Members to mention in a space, as JSON for the composer's autocomplete."""

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        access = access_space(request.user, slug)
        if not is_signed_in(request.user) or not access.can_view_content:
            raise PermissionDenied
        # PostgreSQL refuses NUL in text, and no name holds one.
        typed = request.GET.get("q", "")[:40].replace("\x00", "")
        members = selectors.list_mention_candidates(
            request.user, access.space, typed, access=access
        )
        return JsonResponse(
            {
                "members": [
                    {
                        "id": member.pk,
                        "name": str(member),
                        "markup": mention_markup(member_id=member.pk, display_name=str(member)),
                    }
                    for member in members
                ]
            }
        )


class AttachmentDownloadView(View):
    """A file of a post or answer, only to those who may read it; files download, images show."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        attachment = access_attachment(request.user, pk)
        response = FileResponse(
            attachment.file.open("rb"),
            as_attachment=not attachment.is_image,
            filename=attachment.original_name,
            content_type=attachment.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        response["Cache-Control"] = "private, max-age=3600"
        return response
