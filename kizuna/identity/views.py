"""Member pages (profile, profile edit, security) and the staff console (members, API keys, audit)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from kizuna.core.audit_labels import csv_lines, readable_entries
from kizuna.core.forms import add_service_errors
from kizuna.core.pagination import paginate
from kizuna.identity.forms import (
    ApiKeyForm,
    AuditFilterForm,
    EconomicsGrantForm,
    MemberFilterForm,
    ProfileForm,
    ReasonForm,
    StaffRoleForm,
)
from kizuna.identity.models import ApiKey, Member
from kizuna.identity.permissions import has_capability, has_mfa
from kizuna.identity.roles import Capability, role_has_capability
from kizuna.identity.selectors import (
    audit_filter_choices,
    get_visible_member,
    list_api_keys,
    list_audit_entries,
    list_members_for_staff,
)
from kizuna.identity.services import (
    create_api_key,
    profile_completion,
    revoke_api_key,
    set_granted_capability,
    set_staff_role,
    update_profile,
)
from kizuna.identity.staff import StaffPageMixin, signed_in_member

NEW_API_KEY_SESSION_KEY = "kizuna_new_api_key"


# Member pages -------------------------------------------------------------------------------


class MemberProfileView(LoginRequiredMixin, View):
    """A member's profile, for signed-in members. Space memberships are left out: identity
    cannot see spaces."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        member = get_visible_member(request.user, pk=pk)
        if member is None:
            raise Http404
        is_self = request.user.is_authenticated and request.user.pk == member.pk
        context: dict[str, Any] = {
            "member": member,
            "interests": list(member.interests.all()),
            "is_self": is_self,
            # Staff see a hidden company on staff pages only; here the member's choice holds.
            "company": member.company_name if is_self else member.public_company_name,
            "completion": profile_completion(member) if is_self else None,
        }
        return render(request, "identity/member_profile/index.html", context)


class MyProfileView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        return redirect("identity:member-profile", pk=signed_in_member(request).pk)


class ProfileEditView(LoginRequiredMixin, View):
    template_name = "identity/profile_edit/index.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        member = Member.objects.get(pk=signed_in_member(request).pk)
        form = ProfileForm(initial=ProfileForm.initial_for(member))
        return self.render_form(request, member, form)

    def post(self, request: HttpRequest) -> HttpResponse:
        # A fresh copy: a rejected save must not leave half-changed attributes on request.user.
        member = Member.objects.get(pk=signed_in_member(request).pk)
        form = ProfileForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                update_profile(
                    member=member,
                    display_name=data["display_name"],
                    name_reading=data["name_reading"],
                    bio=data["bio"],
                    company_name=data["company_name"],
                    job_role=data["job_role"],
                    language=data["language"],
                    time_zone=data["time_zone"],
                    interests=data["interests"],
                    listed_in_directory=data["listed_in_directory"],
                    shows_company=data["shows_company"],
                    photo=data["photo"] or None,
                    remove_photo=data["remove_photo"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
                member.refresh_from_db()
            else:
                messages.success(request, _("Your profile has been saved."))
                return redirect("identity:member-profile", pk=member.pk)
        return self.render_form(request, member, form, status=400)

    def render_form(
        self, request: HttpRequest, member: Member, form: ProfileForm, status: int = 200
    ) -> HttpResponse:
        context = {"member": member, "form": form, "completion": profile_completion(member)}
        return render(request, self.template_name, context, status=status)


class SecurityView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        context = {
            "has_totp": has_mfa(user),
            "needs_totp": bool(getattr(user, "is_staff_member", False)) and not has_mfa(user),
        }
        return render(request, "identity/security/index.html", context)


# Staff console ------------------------------------------------------------------------------


class StaffMembersView(StaffPageMixin, View):
    required_capability = Capability.VIEW_CUSTOMER_DATA

    def get(self, request: HttpRequest) -> HttpResponse:
        form = MemberFilterForm(request.GET)
        filters = form.cleaned_data if form.is_valid() else {}
        members = list_members_for_staff(
            query=filters.get("q", ""),
            staff_role=filters.get("staff_role", ""),
            customer_status=filters.get("customer_status", ""),
        )
        context = {
            "form": form,
            "page": paginate(request, members),
            "is_filtered": any(filters.values()),
            "can_manage_staff_roles": has_capability(request.user, Capability.MANAGE_STAFF_ROLES),
        }
        return render(request, "identity/staff_members/index.html", context)


class StaffMemberRoleView(StaffPageMixin, View):
    """A member's staff role, and, for staff whose role does not show customer economics,
    the economics granted to them one by one (GRANTABLE_CAPABILITIES)."""

    required_capability = Capability.MANAGE_STAFF_ROLES
    template_name = "identity/staff_member_role/index.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        member = get_object_or_404(Member, pk=pk)
        form = StaffRoleForm(initial={"role": member.staff_role})
        return self.render_page(member, form, EconomicsGrantForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        member = get_object_or_404(Member, pk=pk)
        if "grant_action" in request.POST:
            return self.post_grant(member)
        form = StaffRoleForm(request.POST)
        if form.is_valid():
            try:
                set_staff_role(
                    actor=self.member,
                    member=member,
                    role=form.cleaned_data["role"],
                    reason=form.cleaned_data["reason"].strip(),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            except PermissionDenied as error:
                # The actor may manage roles (checked above); only removing their own is refused.
                form.add_error("role", str(error))
            else:
                messages.success(
                    request, _("The staff role of %(name)s has been saved.") % {"name": member}
                )
                return redirect("staff:staff-members")
        return self.render_page(member, form, EconomicsGrantForm(), status=400)

    def post_grant(self, member: Member) -> HttpResponse:
        grant_form = EconomicsGrantForm(self.request.POST)
        if grant_form.is_valid():
            granted = grant_form.cleaned_data["grant_action"] == EconomicsGrantForm.GRANT
            try:
                set_granted_capability(
                    actor=self.member,
                    member=member,
                    capability=Capability.VIEW_ACCOUNT_ECONOMICS,
                    granted=granted,
                    reason=grant_form.cleaned_data["grant_reason"],
                )
            except ValidationError as error:
                add_service_errors(grant_form, error, aliases={"reason": "grant_reason"})
            else:
                message = (
                    _("%(name)s now sees customer economics.")
                    if granted
                    else _("%(name)s no longer sees customer economics.")
                )
                messages.success(self.request, message % {"name": member})
                return redirect("staff:staff-member-role", pk=member.pk)
        form = StaffRoleForm(initial={"role": member.staff_role})
        return self.render_page(member, form, grant_form, status=400)

    def render_page(
        self,
        member: Member,
        form: StaffRoleForm,
        grant_form: EconomicsGrantForm,
        status: int = 200,
    ) -> HttpResponse:
        economics = Capability.VIEW_ACCOUNT_ECONOMICS
        context = {
            "member": member,
            "form": form,
            "grant_form": grant_form,
            "role_sees_economics": bool(member.staff_role)
            and role_has_capability(member.staff_role, economics),
            "economics_granted": economics.value in (member.granted_capabilities or []),
        }
        return render(self.request, self.template_name, context, status=status)


class StaffApiKeysView(StaffPageMixin, View):
    """List and create keys. A new key's secret survives one redirect in the session, then goes."""

    required_capability = Capability.MANAGE_API_KEYS
    template_name = "identity/staff_api_keys/index.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        new_key = request.session.pop(NEW_API_KEY_SESSION_KEY, None)
        response = self.render_page(request, ApiKeyForm(), new_key=new_key)
        if new_key:
            response["Cache-Control"] = "no-store"
        return response

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ApiKeyForm(request.POST)
        if form.is_valid():
            try:
                api_key, secret = create_api_key(
                    actor=self.member,
                    name=form.cleaned_data["name"],
                    scopes=form.cleaned_data["scopes"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                # Redirect so that reloading the page cannot create a second key.
                request.session[NEW_API_KEY_SESSION_KEY] = {
                    "id": api_key.pk,
                    "name": api_key.name,
                    "secret": secret,
                }
                return HttpResponseRedirect(reverse("staff:staff-api-keys"))
        return self.render_page(request, form, status=400)

    def render_page(
        self,
        request: HttpRequest,
        form: ApiKeyForm,
        *,
        new_key: dict[str, Any] | None = None,
        status: int = 200,
    ) -> HttpResponse:
        context = {
            "form": form,
            "page": paginate(request, list_api_keys()),
            "new_key": new_key,
            "scope_labels": dict(ApiKey.Scope.choices),
        }
        return render(request, self.template_name, context, status=status)


class StaffApiKeyRevokeView(StaffPageMixin, View):
    required_capability = Capability.MANAGE_API_KEYS
    template_name = "identity/staff_api_key_revoke/index.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        api_key = get_object_or_404(ApiKey.objects.select_related("created_by"), pk=pk)
        return render(request, self.template_name, {"api_key": api_key, "form": ReasonForm()})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        api_key = get_object_or_404(ApiKey, pk=pk)
        form = ReasonForm(request.POST)
        if not form.is_valid():
            context = {"api_key": api_key, "form": form}
            return render(request, self.template_name, context, status=400)
        revoke_api_key(actor=self.member, api_key=api_key, reason=form.cleaned_data["reason"])
        messages.success(
            request, _("The key “%(name)s” has been revoked.") % {"name": api_key.name}
        )
        return redirect("staff:staff-api-keys")


class StaffAuditLogView(StaffPageMixin, View):
    required_capability = Capability.READ_AUDIT_LOG

    def get(self, request: HttpRequest) -> HttpResponseBase:
        form = AuditFilterForm(request.GET or None, **audit_filter_choices())
        filters: dict[str, Any] = {}
        since = until = None
        if form.is_bound:
            form.is_valid()  # invalid filters are left out; the form shows why
            filters = form.cleaned_data
            since, until = form.time_range()
        entries = list_audit_entries(
            action=filters.get("action", ""),
            actor=filters.get("actor", ""),
            target_type=filters.get("target_type", ""),
            since=since,
            until=until,
        )
        shows_economics = has_capability(request.user, Capability.VIEW_ACCOUNT_ECONOMICS)
        if request.GET.get("export") == "csv":
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
            response = StreamingHttpResponse(
                csv_lines(entries, shows_economics=shows_economics),
                content_type="text/csv; charset=utf-8",
            )
            response["Content-Disposition"] = f'attachment; filename="audit-log-{stamp}.csv"'
            return response
        page = paginate(request, entries, per_page=50)
        context = {
            "form": form,
            "page": page,
            "lines": readable_entries(page.object_list, shows_economics=shows_economics),
            "is_filtered": form.is_bound and any(filters.values()),
        }
        return render(request, "identity/staff_audit_log/index.html", context)
