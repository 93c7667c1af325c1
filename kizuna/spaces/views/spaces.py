"""The directory, a space's page, and the staff forms that create and edit spaces."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from kizuna.core.forms import add_service_errors
from kizuna.core.pagination import paginate
from kizuna.identity.permissions import can_open_staff_pages
from kizuna.spaces import selectors, services
from kizuna.spaces.denied_page import space_denied_page
from kizuna.spaces.forms import SpaceFilterForm, SpaceForm
from kizuna.spaces.models import Space
from kizuna.spaces.permissions import (
    SpaceAccess,
    access_space,
    can_create_spaces,
    can_view_member_list,
)
from kizuna.spaces.views.common import (
    actions_context,
    current_member,
    deny,
    detail_redirect,
    space_or_404,
    staff_gate,
    staff_mfa_redirect,
)

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
        context = actions_context(request, access)
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


# ---------------------------------------------------------------- staff: create and edit


class SpaceCreateView(View):
    template_name = "spaces/space_form/index.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        refusal = staff_gate(request)
        if refusal is not None:
            return refusal
        return render(request, self.template_name, {"form": SpaceForm(), "parent": None})

    def post(self, request: HttpRequest) -> HttpResponse:
        refusal = staff_gate(request)
        if refusal is not None:
            return refusal
        form = SpaceForm(request.POST)
        if form.is_valid():
            try:
                space = services.create_space(
                    actor=current_member(request), **form.service_fields()
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The space was created."))
                return detail_redirect(space)
        return render(request, self.template_name, {"form": form, "parent": None}, status=400)


class SubgroupCreateView(View):
    template_name = "spaces/space_form/index.html"

    def _context(self, parent: Space, form: SpaceForm) -> dict[str, Any]:
        return {"form": form, "parent": parent}

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        parent = space_or_404(request, slug)
        refusal = staff_gate(request)
        if refusal is not None:
            return refusal
        form = SpaceForm(with_parent=False, initial={"color": parent.color})
        return render(request, self.template_name, self._context(parent, form))

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        parent = space_or_404(request, slug)
        refusal = staff_gate(request)
        if refusal is not None:
            return refusal
        form = SpaceForm(request.POST, with_parent=False)
        if form.is_valid():
            try:
                space = services.create_space(
                    actor=current_member(request), **form.service_fields(), parent=parent
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The sub-group was created."))
                return detail_redirect(space)
        return render(request, self.template_name, self._context(parent, form), status=400)


class SpaceEditView(View):
    template_name = "spaces/space_form/index.html"

    def _refusal(self, request: HttpRequest, access: SpaceAccess) -> HttpResponse | None:
        if not access.can_manage:
            return deny(request, access)
        if request.user.is_staff_member and not can_open_staff_pages(request.user):  # type: ignore[union-attr]
            return staff_mfa_redirect(request)
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
                    actor=current_member(request),
                    space=space,
                    access=access,
                    **form.service_fields(),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Your changes were saved."))
                return detail_redirect(space)
        return self._render(request, space, form, status=400)
