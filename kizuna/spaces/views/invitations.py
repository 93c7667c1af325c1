"""Sending and revoking invitations, and the link in an invitation email that accepts one."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from kizuna.core.forms import add_service_errors
from kizuna.core.pagination import paginate
from kizuna.identity.permissions import is_signed_in
from kizuna.spaces import selectors, services
from kizuna.spaces.forms import InvitationForm
from kizuna.spaces.models import Invitation
from kizuna.spaces.permissions import SpaceAccess, SpaceAccessDeniedError, access_space
from kizuna.spaces.views.common import current_member, deny, detail_redirect, sign_in

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
            return deny(request, access)
        context = _invitations_context(request, access, InvitationForm())
        return render(request, self.template_name, context)

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        access = access_space(request.user, slug)
        if not access.can_invite:
            return deny(request, access)
        form = InvitationForm(request.POST)
        if form.is_valid():
            try:
                invitation = services.invite_to_space(
                    actor=current_member(request),
                    space=access.space,
                    email=form.cleaned_data["email"],
                    message=form.cleaned_data["message"],
                    access=access,
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
            return sign_in(request, reverse("spaces:space-invitations", args=[slug]))
        try:
            services.revoke_invitation(actor=current_member(request), invitation=invitation)
        except SpaceAccessDeniedError as denied:
            return deny(request, denied.access)
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
                    member=current_member(request), invitation=invitation
                )
            except services.InvitationError as error:
                return self._problem(request, invitation, " ".join(error.messages))
            return detail_redirect(invitation.space)
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
            and invitation.email.lower() != current_member(request).email.lower(),
        }
        return render(request, self.template_name, context)

    def post(self, request: HttpRequest, token: str) -> HttpResponseBase:
        if not is_signed_in(request.user):
            return sign_in(request)
        invitation = self._invitation(token)
        try:
            membership = services.accept_invitation(member=current_member(request), token=token)
        except services.InvitationError as error:
            return self._problem(request, invitation, " ".join(error.messages))
        messages.success(request, _("Welcome to %(space)s.") % {"space": membership.space.name})
        return detail_redirect(membership.space)
