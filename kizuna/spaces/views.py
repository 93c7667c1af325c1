"""The spaces pages. Views parse input, ask the policy module or call one service, and render.

Every action works as a plain form post (redirect after success) and, where the page
uses HTMX, returns the fragment it replaces when the request carries `HX-Request`.
"""

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from kizuna.core.forms import add_service_errors
from kizuna.core.htmx import HtmxHttpRequest
from kizuna.core.pagination import paginate
from kizuna.identity.models import Member
from kizuna.identity.permissions import can_open_staff_pages, is_signed_in
from kizuna.spaces import selectors, services
from kizuna.spaces.denied_page import space_denied_page
from kizuna.spaces.forms import (
    ApplyForm,
    DecisionForm,
    InvitationForm,
    RemoveMemberForm,
    RoleForm,
    SpaceFilterForm,
    SpaceForm,
)
from kizuna.spaces.models import Invitation, JoinRequest, Membership, Space, SpaceRole
from kizuna.spaces.permissions import (
    SpaceAccess,
    SpaceAccessDeniedError,
    access_space,
    can_create_spaces,
    can_view_member_list,
    get_space_access,
    takes_applications,
)

DECIDED_HISTORY_LENGTH = 20


# ---------------------------------------------------------------- helpers


def _member(request: HttpRequest) -> Member:
    """The signed-in member; call only after checking `is_signed_in`."""
    return cast(Member, request.user)


def _space_or_404(request: HttpRequest, slug: str) -> Space:
    """A listed space by its address, for the views whose service alone decides (leaving,
    withdrawing an application, creating a sub-group); the others call `access_space`."""
    space = selectors.listed_space(request.user, slug)
    if space is None:
        raise Http404
    return space


def _sign_in(request: HttpRequest, next_url: str | None = None) -> HttpResponse:
    return redirect_to_login(next_url or request.get_full_path())


def _deny(request: HttpRequest, access: SpaceAccess) -> HttpResponse:
    """Answer a refused action: sign in first, the space's denied page, or a plain 403."""
    if access.denial is not None:
        return space_denied_page(request, access)
    if not is_signed_in(request.user):
        return _sign_in(request)
    raise PermissionDenied


def _staff_mfa_redirect(request: HttpRequest) -> HttpResponse:
    messages.warning(
        request, _("Staff pages need two-step sign-in. Set up an authenticator app first.")
    )
    return redirect("mfa_activate_totp")


def _staff_gate(request: HttpRequest) -> HttpResponse | None:
    """Space creation is for staff who may manage spaces and have set up TOTP."""
    if not is_signed_in(request.user):
        return _sign_in(request)
    if not can_create_spaces(request.user):
        raise PermissionDenied
    if not can_open_staff_pages(request.user):
        return _staff_mfa_redirect(request)
    return None


def _detail_redirect(space: Space) -> HttpResponse:
    return redirect("spaces:space-detail", slug=space.slug)


def _actions_context(request: HttpRequest, access: SpaceAccess) -> dict[str, Any]:
    space = access.space
    return {
        "space": space,
        "access": access,
        "can_create_subgroup": can_create_spaces(request.user) and space.parent_id is None,
        "sign_in_url": f"{reverse('account_login')}?next={reverse('spaces:space-detail', args=[space.slug])}",
    }


def _render_actions(
    request: HttpRequest, space: Space, *, error: str = "", status: int = 200
) -> HttpResponse:
    # Asked afresh on purpose: joining or leaving may just have changed what the viewer may do.
    context = _actions_context(request, get_space_access(request.user, space))
    context["error"] = error
    # Joining or leaving changes the member count shown beside the actions, swapped out of band.
    context["is_fragment"] = True
    context["member_count"] = selectors.member_count(space)
    return render(request, "spaces/space_detail/partial.html", context, status=status)


# ---------------------------------------------------------------- directory and detail


class SpaceListView(View):
    """The directory: every listed space with its type; sub-groups under their parents."""

    def get(self, request: HttpRequest) -> HttpResponse:
        viewer = request.user
        form = SpaceFilterForm(request.GET)
        query, space_type = "", ""
        if form.is_valid():
            query = form.cleaned_data["q"].strip()
            space_type = form.cleaned_data["type"]
        spaces = selectors.directory(viewer, query=query, space_type=space_type)
        is_filtered = bool(query or space_type)
        context = {
            "page": paginate(request, spaces),
            "form": form,
            "is_filtered": is_filtered,
            "can_create": can_create_spaces(viewer),
        }
        return render(request, "spaces/space_list/index.html", context)


class SpaceDetailView(View):
    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        access = access_space(request.user, slug)
        if not access.can_view_content:
            return space_denied_page(request, access)
        space = access.space
        context = _actions_context(request, access)
        context.update(
            {
                "subgroups": selectors.listed_subgroups(request.user, space),
                "member_count": selectors.member_count(space),
                "hosts": selectors.hosts(space),
                "pending_count": selectors.pending_join_request_count(space)
                if access.can_moderate
                else 0,
                "can_see_members": can_view_member_list(request.user, access),
            }
        )
        return render(request, "spaces/space_detail/index.html", context)


# ---------------------------------------------------------------- joining and leaving


class SpaceJoinView(View):
    def post(self, request: HtmxHttpRequest, slug: str) -> HttpResponse:
        access = access_space(request.user, slug)
        space = access.space
        if not is_signed_in(request.user):
            return _sign_in(request, reverse("spaces:space-detail", args=[slug]))
        try:
            services.join_space(member=_member(request), space=space)
        except PermissionDenied:
            return _deny(request, access)
        if request.htmx:
            return _render_actions(request, space)
        messages.success(request, _("You joined %(space)s.") % {"space": space.name})
        return _detail_redirect(space)


class SpaceLeaveView(View):
    def post(self, request: HtmxHttpRequest, slug: str) -> HttpResponse:
        space = _space_or_404(request, slug)
        if not is_signed_in(request.user):
            return _sign_in(request, reverse("spaces:space-detail", args=[slug]))
        try:
            services.leave_space(member=_member(request), space=space)
        except services.MembershipError as error:
            if request.htmx:
                return _render_actions(request, space, error=" ".join(error.messages))
            messages.error(request, " ".join(error.messages))
            return _detail_redirect(space)
        if request.htmx:
            return _render_actions(request, space)
        messages.success(request, _("You left %(space)s.") % {"space": space.name})
        return _detail_redirect(space)


class SpaceApplyView(View):
    """The application form of an application space: its purpose, rules and questions."""

    template_name = "spaces/space_apply/index.html"

    def _refusal(self, request: HttpRequest, access: SpaceAccess) -> HttpResponse | None:
        space = access.space
        if not is_signed_in(request.user):
            return _sign_in(request)
        if access.is_member:
            messages.info(request, _("You are already a member of this space."))
            return _detail_redirect(space)
        if access.has_pending_request or not takes_applications(space):
            return _detail_redirect(space)
        if not access.can_apply:
            return _deny(request, access)
        return None

    def _render(
        self, request: HttpRequest, space: Space, form: ApplyForm, status: int = 200
    ) -> HttpResponse:
        return render(request, self.template_name, {"space": space, "form": form}, status=status)

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        access = access_space(request.user, slug)
        refusal = self._refusal(request, access)
        if refusal is not None:
            return refusal
        space = access.space
        return self._render(request, space, ApplyForm(questions=list(space.join_questions)))

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        access = access_space(request.user, slug)
        space = access.space
        refusal = self._refusal(request, access)
        if refusal is not None:
            return refusal
        form = ApplyForm(request.POST, questions=list(space.join_questions))
        if form.is_valid():
            try:
                services.apply_to_space(
                    member=_member(request), space=space, answers=form.answers()
                )
            except PermissionDenied:
                return _deny(request, access)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request, _("Your application was sent. The space's hosts will review it.")
                )
                return _detail_redirect(space)
        return self._render(request, space, form, status=400)


class JoinRequestWithdrawView(View):
    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        space = _space_or_404(request, slug)
        if not is_signed_in(request.user):
            return _sign_in(request, reverse("spaces:space-detail", args=[slug]))
        join_request = selectors.pending_join_request_of(request.user, space)
        if join_request is not None:
            services.withdraw_join_request(member=_member(request), join_request=join_request)
            messages.success(request, _("You withdrew your application."))
        else:
            messages.info(request, _("You have no application waiting for this space."))
        return _detail_redirect(space)


# ---------------------------------------------------------------- staff: create and edit


class SpaceCreateView(View):
    template_name = "spaces/space_form/index.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        refusal = _staff_gate(request)
        if refusal is not None:
            return refusal
        return render(request, self.template_name, {"form": SpaceForm(), "parent": None})

    def post(self, request: HttpRequest) -> HttpResponse:
        refusal = _staff_gate(request)
        if refusal is not None:
            return refusal
        form = SpaceForm(request.POST)
        if form.is_valid():
            try:
                space = services.create_space(actor=_member(request), **form.service_fields())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The space was created."))
                return _detail_redirect(space)
        return render(request, self.template_name, {"form": form, "parent": None}, status=400)


class SubgroupCreateView(View):
    template_name = "spaces/space_form/index.html"

    def _context(self, parent: Space, form: SpaceForm) -> dict[str, Any]:
        return {"form": form, "parent": parent}

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        parent = _space_or_404(request, slug)
        refusal = _staff_gate(request)
        if refusal is not None:
            return refusal
        form = SpaceForm(with_parent=False, initial={"color": parent.color})
        return render(request, self.template_name, self._context(parent, form))

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        parent = _space_or_404(request, slug)
        refusal = _staff_gate(request)
        if refusal is not None:
            return refusal
        form = SpaceForm(request.POST, with_parent=False)
        if form.is_valid():
            try:
                space = services.create_space(
                    actor=_member(request), **form.service_fields(), parent=parent
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The sub-group was created."))
                return _detail_redirect(space)
        return render(request, self.template_name, self._context(parent, form), status=400)


class SpaceEditView(View):
    template_name = "spaces/space_form/index.html"

    def _refusal(self, request: HttpRequest, access: SpaceAccess) -> HttpResponse | None:
        if not access.can_manage:
            return _deny(request, access)
        if request.user.is_staff_member and not can_open_staff_pages(request.user):  # type: ignore[union-attr]
            return _staff_mfa_redirect(request)
        return None

    def _render(
        self, request: HttpRequest, space: Space, form: SpaceForm, status: int = 200
    ) -> HttpResponse:
        context = {"form": form, "space": space, "parent": space.parent}
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        access = access_space(request.user, slug)
        refusal = self._refusal(request, access)
        if refusal is not None:
            return refusal
        space = access.space
        form = SpaceForm(initial=SpaceForm.initial_for(space))
        return self._render(request, space, form)

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        access = access_space(request.user, slug)
        refusal = self._refusal(request, access)
        if refusal is not None:
            return refusal
        space = access.space
        form = SpaceForm(request.POST)
        if form.is_valid():
            try:
                space = services.update_space(
                    actor=_member(request), space=space, **form.service_fields()
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Your changes were saved."))
                return _detail_redirect(space)
        return self._render(request, space, form, status=400)


# ---------------------------------------------------------------- members


class SpaceMembersView(View):
    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        access = access_space(request.user, slug)
        if not can_view_member_list(request.user, access):
            return _deny(request, access)
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
            return _sign_in(request, reverse("spaces:space-members", args=[slug]))
        form = RoleForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose host, moderator or member."))
        else:
            try:
                services.change_member_role(
                    actor=_member(request), membership=membership, role=form.cleaned_data["role"]
                )
            except SpaceAccessDeniedError as denied:
                return _deny(request, denied.access)
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

    def _refusal(self, request: HttpRequest, membership: Membership) -> HttpResponse | None:
        access = get_space_access(request.user, membership.space)
        if not access.can_manage:
            return _deny(request, access)
        return None

    def get(self, request: HttpRequest, slug: str, pk: int) -> HttpResponse:
        membership = _membership_or_404(slug, pk)
        refusal = self._refusal(request, membership)
        if refusal is not None:
            return refusal
        context = {"membership": membership, "space": membership.space, "form": RemoveMemberForm()}
        return render(request, self.template_name, context)

    def post(self, request: HttpRequest, slug: str, pk: int) -> HttpResponse:
        membership = _membership_or_404(slug, pk)
        refusal = self._refusal(request, membership)
        if refusal is not None:
            return refusal
        form = RemoveMemberForm(request.POST)
        if form.is_valid():
            try:
                services.remove_member(
                    actor=_member(request),
                    membership=membership,
                    reason=form.cleaned_data["reason"],
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


# ---------------------------------------------------------------- join requests


class SpaceRequestsView(View):
    """The moderators' queue: pending applications first, then the latest decisions."""

    template_name = "spaces/space_requests/index.html"

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        access = access_space(request.user, slug)
        if not access.can_moderate:
            return _deny(request, access)
        return render(request, self.template_name, _requests_page_context(request, access.space))


def _requests_page_context(
    request: HttpRequest, space: Space, forms_by_request: dict[int, DecisionForm] | None = None
) -> dict[str, Any]:
    page = paginate(request, selectors.pending_join_requests(space))
    forms_by_request = forms_by_request or {}
    for join_request in page:
        join_request.form = forms_by_request.get(join_request.pk) or DecisionForm()
    decided = selectors.decided_join_requests(space, DECIDED_HISTORY_LENGTH)
    return {"space": space, "page": page, "decided": decided}


class JoinRequestDecideView(View):
    def post(self, request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
        join_request = selectors.join_request_at(slug, pk)
        if join_request is None:
            raise Http404
        space = join_request.space
        if not is_signed_in(request.user):
            return _sign_in(request, reverse("spaces:space-requests", args=[slug]))
        form = DecisionForm(request.POST)
        if not form.is_valid():
            return HttpResponse(_("Choose approve or reject."), status=400)
        try:
            decided = services.decide_join_request(
                actor=_member(request),
                join_request=join_request,
                approve=form.approves,
                reason=form.cleaned_data["reason"],
            )
        except SpaceAccessDeniedError as denied:
            return _deny(request, denied.access)
        except services.MembershipError as error:
            join_request.refresh_from_db()
            if request.htmx:
                return self._fragment(request, join_request, notice=" ".join(error.messages))
            messages.error(request, " ".join(error.messages))
            return redirect("spaces:space-requests", slug=slug)
        except ValidationError as error:
            add_service_errors(form, error)
            if request.htmx:
                join_request.form = form  # type: ignore[attr-defined]
                return self._fragment(request, join_request)
            context = _requests_page_context(request, space, {join_request.pk: form})
            return render(request, SpaceRequestsView.template_name, context, status=400)
        if request.htmx:
            return self._fragment(request, decided)
        if decided.status == JoinRequest.Status.APPROVED:
            messages.success(request, _("%(member)s was approved.") % {"member": decided.applicant})
        else:
            messages.success(request, _("%(member)s was rejected.") % {"member": decided.applicant})
        return redirect("spaces:space-requests", slug=slug)

    def _fragment(
        self, request: HttpRequest, join_request: JoinRequest, notice: str = ""
    ) -> HttpResponse:
        context = {"join_request": join_request, "space": join_request.space, "notice": notice}
        return render(request, "spaces/space_requests/partial.html", context)


# ---------------------------------------------------------------- invitations


def _invitations_context(
    request: HttpRequest, access: SpaceAccess, form: InvitationForm
) -> dict[str, Any]:
    space = access.space
    invitations = selectors.invitations_seen_by(request.user, access)
    return {
        "space": space,
        "access": access,
        "form": form,
        "page": paginate(request, invitations),
    }


class SpaceInvitationsView(View):
    """Send invitations, and see who was invited by whom and whether they came (referrals)."""

    template_name = "spaces/space_invitations/index.html"

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        access = access_space(request.user, slug)
        if not access.can_invite:
            return _deny(request, access)
        context = _invitations_context(request, access, InvitationForm())
        return render(request, self.template_name, context)

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        access = access_space(request.user, slug)
        if not access.can_invite:
            return _deny(request, access)
        form = InvitationForm(request.POST)
        if form.is_valid():
            try:
                invitation = services.invite_to_space(
                    actor=_member(request),
                    space=access.space,
                    email=form.cleaned_data["email"],
                    message=form.cleaned_data["message"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request, _("Invitation sent to %(email)s.") % {"email": invitation.email}
                )
                return redirect("spaces:space-invitations", slug=slug)
        context = _invitations_context(request, access, form)
        return render(request, self.template_name, context, status=400)


class InvitationRevokeView(View):
    def post(self, request: HttpRequest, slug: str, pk: int) -> HttpResponse:
        invitation = selectors.invitation_at(slug, pk)
        if invitation is None:
            raise Http404
        if not is_signed_in(request.user):
            return _sign_in(request, reverse("spaces:space-invitations", args=[slug]))
        try:
            services.revoke_invitation(actor=_member(request), invitation=invitation)
        except SpaceAccessDeniedError as denied:
            return _deny(request, denied.access)
        messages.success(
            request, _("The invitation to %(email)s was withdrawn.") % {"email": invitation.email}
        )
        return redirect("spaces:space-invitations", slug=slug)


class InvitationAcceptView(View):
    """The link in an invitation email: shows the invitation, then accepts it on POST."""

    template_name = "spaces/invitation_accept/index.html"
    problem_template_name = "spaces/invitation_accept/problem.html"

    def _invitation(self, token: str) -> Invitation | None:
        return selectors.invitation_by_token(token)

    def _problem(
        self, request: HttpRequest, invitation: Invitation | None, message: str
    ) -> HttpResponse:
        gone = invitation is not None and invitation.status in {"accepted", "revoked", "expired"}
        context = {"message": message, "invitation": invitation}
        return render(request, self.problem_template_name, context, status=410 if gone else 400)

    def _problem_before_accepting(
        self, request: HttpRequest, invitation: Invitation | None
    ) -> HttpResponse | None:
        """What the page can tell before the member presses accept; the service decides on POST."""
        if invitation is None or (
            invitation.space.archived_at is not None and invitation.status == "pending"
        ):
            return self._problem(
                request,
                None,
                _(
                    "This invitation link is not valid. Ask the person who invited you for a new one."
                ),
            )
        if invitation.status == "revoked":
            return self._problem(request, invitation, _("This invitation was withdrawn."))
        if invitation.status == "expired":
            return self._problem(
                request,
                invitation,
                _("This invitation has expired. Ask the person who invited you to send it again."),
            )
        if invitation.status == "accepted":
            if not is_signed_in(request.user):
                return self._problem(
                    request, invitation, _("This invitation has already been used.")
                )
            try:
                services.membership_from_used_invitation(
                    member=_member(request), invitation=invitation
                )
            except services.InvitationError as error:
                return self._problem(request, invitation, " ".join(error.messages))
            return _detail_redirect(invitation.space)
        return None

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        invitation = self._invitation(token)
        problem = self._problem_before_accepting(request, invitation)
        if problem is not None:
            return problem
        assert invitation is not None
        next_url = request.path
        context = {
            "invitation": invitation,
            "space": invitation.space,
            "is_signed_in": is_signed_in(request.user),
            "sign_in_url": f"{reverse('account_login')}?next={next_url}",
            "sign_up_url": f"{reverse('account_signup')}?next={next_url}",
            "is_for_someone_else": is_signed_in(request.user)
            and invitation.email.lower() != _member(request).email.lower(),
        }
        return render(request, self.template_name, context)

    def post(self, request: HttpRequest, token: str) -> HttpResponseBase:
        if not is_signed_in(request.user):
            return _sign_in(request)
        invitation = self._invitation(token)
        try:
            membership = services.accept_invitation(member=_member(request), token=token)
        except services.InvitationError as error:
            return self._problem(request, invitation, " ".join(error.messages))
        messages.success(request, _("Welcome to %(space)s.") % {"space": membership.space.name})
        return _detail_redirect(membership.space)
