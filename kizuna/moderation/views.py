"""The moderation pages: the review queue and its actions, flagging, blocked terms and a
space's moderation settings. Views parse input, call one service or selector, and render."""

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from kizuna.content.models import Answer, Comment, Post
from kizuna.content.permissions import PostAccess, post_access
from kizuna.core.forms import add_service_errors
from kizuna.core.htmx import HtmxHttpRequest
from kizuna.core.navigation import safe_next_path
from kizuna.core.pagination import paginate
from kizuna.identity.models import Member
from kizuna.identity.permissions import can_open_staff_pages, is_signed_in
from kizuna.moderation import services
from kizuna.moderation.forms import (
    BlockedTermForm,
    EditForm,
    FlagForm,
    ModerationSettingsForm,
    MoveForm,
    QueueFilterForm,
    ReasonForm,
    SuspendForm,
    WarnForm,
)
from kizuna.moderation.models import BlockedTerm, Flag, ReviewItem
from kizuna.moderation.permissions import (
    can_flag_target,
    can_move_to,
    can_open_review_queue,
    can_use_staff_moderation,
)
from kizuna.moderation.rate_limits import RateLimitExceededError
from kizuna.moderation.responses import rate_limited_response
from kizuna.moderation.selectors import (
    get_moderation_settings,
    review_items_for,
    spaces_moderated_by,
)
from kizuna.spaces.permissions import SpaceAccess, access_space, listed_spaces

QUEUE_PAGE_SIZE = 25
Target = Post | Answer | Comment


def _member(request: HttpRequest) -> Member:
    return cast(Member, request.user)


def _gate(request: HttpRequest) -> HttpResponse | None:
    """The queue is for staff with MODERATE (with two-step sign-in) and space moderators."""
    if not is_signed_in(request.user):
        return redirect_to_login(request.get_full_path())
    if not can_open_review_queue(request.user):
        raise PermissionDenied
    if _member(request).is_staff_member and not can_open_staff_pages(request.user):
        messages.warning(
            request, _("Staff pages need two-step sign-in. Set up an authenticator app first.")
        )
        return redirect("mfa_activate_totp")
    return None


class ReviewQueueView(View):
    def get(self, request: HtmxHttpRequest) -> HttpResponse:
        if (refused := _gate(request)) is not None:
            return refused
        spaces = spaces_moderated_by(request.user)
        form = QueueFilterForm(request.GET or None, spaces=spaces)
        filters: dict[str, Any] = {"status": "pending"}
        if form.is_valid():
            space = form.cleaned_data["space"]
            filters = {
                "status": form.cleaned_data["status"] or "pending",
                "source": form.cleaned_data["source"],
                "kind": form.cleaned_data["kind"],
                "space_id": space.pk if space else None,
            }
        items = review_items_for(request.user, **filters)
        page = paginate(request, items, per_page=QUEUE_PAGE_SIZE)
        context = {
            "form": form,
            "page": page,
            "can_manage_blocked_terms": can_use_staff_moderation(request.user),
        }
        template = (
            "moderation/queue/partial.html" if request.htmx else "moderation/queue/index.html"
        )
        return render(request, template, context)


def _item_or_404(request: HttpRequest, pk: int) -> ReviewItem:
    return get_object_or_404(review_items_for(request.user, status=""), pk=pk)


def _item_context(request: HttpRequest, item: ReviewItem, **forms: Any) -> dict[str, Any]:
    target: Any = item.target
    post = item.post or (target.post if hasattr(target, "post") else None)
    move_spaces = listed_spaces(request.user).exclude(pk=item.space_id)
    move_spaces = move_spaces.filter(
        pk__in=[space.pk for space in move_spaces if can_move_to(request.user, space)]
    )
    defaults: dict[str, Any] = {
        "approve_form": ReasonForm(prefix="approve"),
        "hide_form": ReasonForm(prefix="hide"),
        "delete_form": ReasonForm(prefix="delete"),
        "lock_form": ReasonForm(prefix="lock"),
        "edit_form": EditForm(
            prefix="edit",
            initial={"title": getattr(target, "title", ""), "body": target.body},
        ),
        "move_form": MoveForm(prefix="move", spaces=move_spaces),
        "warn_form": WarnForm(prefix="warn"),
        "suspend_form": SuspendForm(prefix="suspend"),
    }
    defaults.update(forms)
    return {
        "item": item,
        "target": target,
        "thread": post,
        "flags": Flag.objects.filter(**{item.target_kind: target}).select_related("member"),
        "can_suspend": can_use_staff_moderation(request.user),
        **defaults,
    }


class ReviewItemView(View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        if (refused := _gate(request)) is not None:
            return refused
        item = _item_or_404(request, pk)
        return render(request, "moderation/review_item/index.html", _item_context(request, item))


ACTION_FORMS: dict[str, type[ReasonForm] | type[WarnForm]] = {
    "approve": ReasonForm,
    "hide": ReasonForm,
    "delete": ReasonForm,
    "lock": ReasonForm,
    "unlock": ReasonForm,
    "edit": EditForm,
    "move": MoveForm,
    "warn": WarnForm,
    "suspend": SuspendForm,
}


def _run_action(request: HttpRequest, action: str, item: ReviewItem, data: dict[str, Any]) -> str:
    """Call the service for one queue action; return the message to show on success."""
    actor = _member(request)
    reason = data.get("reason", "")
    if action == "approve":
        services.approve_item(actor=actor, item=item, reason=reason)
        return _("Approved: the content is published.")
    if action == "hide":
        services.hide_item(actor=actor, item=item, reason=reason)
        return _("Hidden. The author can see why.")
    if action == "delete":
        services.delete_item(actor=actor, item=item, reason=reason)
        return _("Deleted.")
    if action == "lock":
        services.lock_post(actor=actor, item=item, reason=reason)
        return _("The thread is locked.")
    if action == "unlock":
        services.unlock_post(actor=actor, item=item, reason=reason)
        return _("The thread is open again.")
    if action == "edit":
        services.edit_item_content(
            actor=actor, item=item, title=data["title"], body=data["body"], reason=reason
        )
        return _("Your edit is saved; the previous text is kept in the history.")
    if action == "move":
        services.move_post(actor=actor, item=item, to_space=data["to_space"], reason=reason)
        return _("The post was moved.")
    if action == "warn":
        services.warn_author(actor=actor, item=item, message=data["message"])
        return _("The author was warned.")
    services.suspend_author(
        actor=actor, item=item, reason=reason, duration_note=data.get("duration_note", "")
    )
    return _("The author's account is suspended.")


class ReviewItemActionView(View):
    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        if action not in ACTION_FORMS:
            raise Http404
        if (refused := _gate(request)) is not None:
            return refused
        item = _item_or_404(request, pk)
        form_class = ACTION_FORMS[action]
        kwargs: dict[str, Any] = {"prefix": action}
        if form_class is MoveForm:
            kwargs["spaces"] = listed_spaces(request.user)
        form = form_class(request.POST, **kwargs)
        if form.is_valid():
            try:
                success = _run_action(request, action, item, form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, success)
                return redirect("moderation:queue")
        context = _item_context(request, item, **{f"{action}_form": form})
        return render(request, "moderation/review_item/index.html", context, status=400)


def _safe_next(request: HttpRequest) -> str:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    return safe_next_path(request, next_url) or reverse("home")


class FlagView(View):
    """Flag a post, answer or comment: a form page, an HTMX fragment, or JSON."""

    def _target(self, request: HttpRequest, kind: str, pk: int) -> tuple[Target, PostAccess]:
        """The content to flag with the viewer's decision on its thread, asked once."""
        # Deciding on the thread reads its space, and the parent of a sub-group.
        target: Target
        if kind == "post":
            target = get_object_or_404(Post.objects.select_related("space__parent"), pk=pk)
        elif kind == "answer":
            target = get_object_or_404(Answer.objects.select_related("post__space__parent"), pk=pk)
        elif kind == "comment":
            target = get_object_or_404(Comment.objects.select_related("post__space__parent"), pk=pk)
        else:
            raise Http404
        access = post_access(request.user, target if isinstance(target, Post) else target.post)
        # A flag form for content the member cannot read would confirm that it exists.
        if not can_flag_target(request.user, target, access):
            raise Http404
        return target, access

    def _render(
        self, request: HtmxHttpRequest, kind: str, target: Target, form: FlagForm, status: int = 200
    ) -> HttpResponse:
        context = {"form": form, "kind": kind, "target": target, "next": _safe_next(request)}
        template = "moderation/flag/partial.html" if request.htmx else "moderation/flag/index.html"
        return render(request, template, context, status=status)

    def get(self, request: HtmxHttpRequest, kind: str, pk: int) -> HttpResponse:
        if not is_signed_in(request.user):
            return redirect_to_login(request.get_full_path())
        target, _access = self._target(request, kind, pk)
        return self._render(request, kind, target, FlagForm())

    def post(self, request: HtmxHttpRequest, kind: str, pk: int) -> HttpResponse:
        if not is_signed_in(request.user):
            return redirect_to_login(request.get_full_path())
        target, access = self._target(request, kind, pk)
        form = FlagForm(request.POST)
        if form.is_valid():
            try:
                flag = services.flag_content(
                    member=_member(request),
                    target=target,
                    reason=form.cleaned_data["reason"],
                    note=form.cleaned_data["note"],
                    access=access,
                )
            except RateLimitExceededError as error:
                return rate_limited_response(request, error)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                done = _("Thank you. The moderators will take a look.")
                if "application/json" in request.headers.get("Accept", ""):
                    return JsonResponse({"flag": flag.pk, "message": done}, status=201)
                if request.htmx:
                    return render(request, "moderation/flag/done.html", {"message": done})
                messages.success(request, done)
                return redirect(_safe_next(request))
        return self._render(request, kind, target, form, status=400)


def _staff_moderator_gate(request: HttpRequest) -> HttpResponse | None:
    if not is_signed_in(request.user):
        return redirect_to_login(request.get_full_path())
    if not can_use_staff_moderation(request.user):
        raise PermissionDenied
    if not can_open_staff_pages(request.user):
        return redirect("mfa_activate_totp")
    return None


class BlockedTermsView(View):
    def _render(
        self, request: HttpRequest, form: BlockedTermForm, status: int = 200
    ) -> HttpResponse:
        context = {"form": form, "terms": BlockedTerm.objects.select_related("created_by")}
        return render(request, "moderation/blocked_terms/index.html", context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        if (refused := _staff_moderator_gate(request)) is not None:
            return refused
        return self._render(request, BlockedTermForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        if (refused := _staff_moderator_gate(request)) is not None:
            return refused
        form = BlockedTermForm(request.POST)
        if form.is_valid():
            try:
                term = services.add_blocked_term(
                    actor=_member(request),
                    kind=form.cleaned_data["kind"],
                    value=form.cleaned_data["value"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Blocked: %(term)s") % {"term": term.value})
                return redirect("moderation:blocked-terms")
        return self._render(request, form, status=400)


class BlockedTermDeleteView(View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        if (refused := _staff_moderator_gate(request)) is not None:
            return refused
        term = get_object_or_404(BlockedTerm, pk=pk)
        services.remove_blocked_term(actor=_member(request), term=term)
        messages.success(request, _("No longer blocked: %(term)s") % {"term": term.value})
        return redirect("moderation:blocked-terms")


class SpaceModerationSettingsView(View):
    def _access(self, request: HttpRequest, slug: str) -> SpaceAccess:
        if not is_signed_in(request.user):
            raise PermissionDenied
        access = access_space(request.user, slug)
        if not access.can_moderate:
            raise PermissionDenied
        return access

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        if not is_signed_in(request.user):
            return redirect_to_login(request.get_full_path())
        space = self._access(request, slug).space
        current = get_moderation_settings(space)
        form = ModerationSettingsForm(
            initial={
                "forbid_promotion": current.forbid_promotion,
                "hold_new_member_links": current.hold_new_member_links,
            }
        )
        context = {"space": space, "form": form}
        return render(request, "moderation/space_settings/index.html", context)

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        if not is_signed_in(request.user):
            return redirect_to_login(request.get_full_path())
        access = self._access(request, slug)
        space = access.space
        form = ModerationSettingsForm(request.POST)
        if not form.is_valid():  # pragma: no cover - two checkboxes are always valid
            return render(
                request, "moderation/space_settings/index.html", {"space": space, "form": form}
            )
        services.update_moderation_settings(
            actor=_member(request),
            space=space,
            forbid_promotion=form.cleaned_data["forbid_promotion"],
            hold_new_member_links=form.cleaned_data["hold_new_member_links"],
            access=access,
        )
        messages.success(request, _("Moderation settings saved."))
        return redirect("moderation:space-settings", slug=space.slug)
