"""Joining and leaving a space, and its member list with the hosts' role and removal actions."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from kizuna.core.forms import add_service_errors
from kizuna.core.htmx import HtmxHttpRequest
from kizuna.core.pagination import paginate
from kizuna.identity.permissions import is_signed_in
from kizuna.spaces import selectors, services
from kizuna.spaces.forms import RemoveMemberForm, RoleForm
from kizuna.spaces.models import Membership, Space, SpaceRole
from kizuna.spaces.permissions import (
    SpaceAccessDeniedError,
    access_space,
    can_view_member_list,
    get_space_access,
)
from kizuna.spaces.views.common import (
    actions_context,
    current_member,
    deny,
    detail_redirect,
    sign_in,
    space_or_404,
)


def _render_actions(
    request: HttpRequest, space: Space, *, error: str = "", status: int = 200
) -> HttpResponse:
    # Asked afresh on purpose: joining or leaving may just have changed what the viewer may do.
    context = actions_context(request, get_space_access(request.user, space))
    context["error"] = error
    # Joining or leaving changes the member count shown beside the actions, swapped out of band.
    context["is_fragment"] = True
    context["member_count"] = selectors.member_count(space)
    return render(request, "spaces/space_detail/partial.html", context, status=status)


# ---------------------------------------------------------------- joining and leaving


class SpaceJoinView(View):
    def post(self, request: HtmxHttpRequest, slug: str) -> HttpResponse:
        access = access_space(request.user, slug)
        space = access.space
        if not is_signed_in(request.user):
            return sign_in(request, reverse("spaces:space-detail", args=[slug]))
        try:
            services.join_space(member=current_member(request), space=space, access=access)
        except PermissionDenied:
            return deny(request, access)
        if request.htmx:
            return _render_actions(request, space)
        messages.success(request, _("You joined %(space)s.") % {"space": space.name})
        return detail_redirect(space)


class SpaceLeaveView(View):
    def post(self, request: HtmxHttpRequest, slug: str) -> HttpResponse:
        space = space_or_404(request, slug)
        if not is_signed_in(request.user):
            return sign_in(request, reverse("spaces:space-detail", args=[slug]))
        try:
            services.leave_space(member=current_member(request), space=space)
        except services.MembershipError as error:
            if request.htmx:
                return _render_actions(request, space, error=" ".join(error.messages))
            messages.error(request, " ".join(error.messages))
            return detail_redirect(space)
        if request.htmx:
            return _render_actions(request, space)
        messages.success(request, _("You left %(space)s.") % {"space": space.name})
        return detail_redirect(space)


# ---------------------------------------------------------------- members


class SpaceMembersView(View):
    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        access = access_space(request.user, slug)
        if not can_view_member_list(request.user, access):
            return deny(request, access)
        memberships = selectors.members_by_role(request.user, access)
        context = {
            "space": access.space,
            "access": access,
            "page": paginate(request, memberships),
            "roles": SpaceRole.choices,
        }
        return render(request, "spaces/space_members/index.html", context)


def _membership_or_404(slug: str, pk: int) -> Membership:
    membership = selectors.membership_at(slug, pk)
    if membership is None:
        raise Http404
    return membership


class SpaceMemberRoleView(View):
    def post(self, request: HttpRequest, slug: str, pk: int) -> HttpResponse:
        membership = _membership_or_404(slug, pk)
        if not is_signed_in(request.user):
            return sign_in(request, reverse("spaces:space-members", args=[slug]))
        form = RoleForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose host, moderator or member."))
        else:
            try:
                services.change_member_role(
                    actor=current_member(request),
                    membership=membership,
                    role=form.cleaned_data["role"],
                )
            except SpaceAccessDeniedError as denied:
                return deny(request, denied.access)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request,
                    _("%(member)s is now %(role)s.")
                    % {
                        "member": membership.member,
                        "role": SpaceRole(form.cleaned_data["role"]).label,
                    },
                )
        return redirect("spaces:space-members", slug=slug)


class SpaceMemberRemoveView(View):
    template_name = "spaces/space_member_remove/index.html"

    def get(self, request: HttpRequest, slug: str, pk: int) -> HttpResponse:
        membership = _membership_or_404(slug, pk)
        access = get_space_access(request.user, membership.space)
        if not access.can_manage:
            return deny(request, access)
        context = {"membership": membership, "space": membership.space, "form": RemoveMemberForm()}
        return render(request, self.template_name, context)

    def post(self, request: HttpRequest, slug: str, pk: int) -> HttpResponse:
        membership = _membership_or_404(slug, pk)
        access = get_space_access(request.user, membership.space)
        if not access.can_manage:
            return deny(request, access)
        form = RemoveMemberForm(request.POST)
        if form.is_valid():
            try:
                services.remove_member(
                    actor=current_member(request),
                    membership=membership,
                    reason=form.cleaned_data["reason"],
                    access=access,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("%(member)s was removed from the space.") % {"member": membership.member},
                )
                return redirect("spaces:space-members", slug=slug)
        context = {"membership": membership, "space": membership.space, "form": form}
        return render(request, self.template_name, context, status=400)
