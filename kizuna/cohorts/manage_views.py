"""Staff pages that run a programme: create and edit it, schedule its sessions, enrol companies
and participants.

Every page is a staff page (two-factor sign-in); a programme's own pages then ask the same
access entry as its reading pages (404 for a programme the viewer may not read) and answer 403
to staff who may read but not run it.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from kizuna.cohorts import selectors, services
from kizuna.cohorts.access import ProgrammeAccess, access_programme
from kizuna.cohorts.forms import CompanyForm, ParticipantForm, ProgrammeForm, SessionForm
from kizuna.cohorts.models import Programme, Session
from kizuna.core.forms import add_service_errors
from kizuna.core.pagination import paginate
from kizuna.identity.permissions import Viewer
from kizuna.identity.roles import Capability
from kizuna.identity.staff import StaffPageMixin

PAGE_SIZE = 20


class ManageProgrammesView(StaffPageMixin, View):
    required_capability = Capability.MANAGE_ACCOUNTS

    def get(self, request: HttpRequest) -> HttpResponse:
        page = paginate(request, selectors.programmes_for(self.member), per_page=PAGE_SIZE)
        return render(request, "cohorts/manage_list.html", {"page": page})


def _run(viewer: Viewer, pk: int) -> ProgrammeAccess:
    """A programme the viewer reads (else 404) and runs (else 403)."""
    access = access_programme(viewer, pk)
    if not access.can_manage:
        raise PermissionDenied("manage_programme")
    return access


class ProgrammeFormView(StaffPageMixin, View):
    """Create (no pk: staff who manage accounts) or edit (pk: whoever runs it) a programme."""

    def _render(
        self, request: HttpRequest, form: ProgrammeForm, programme: Programme | None, status: int
    ) -> HttpResponse:
        context = {"form": form, "programme": programme}
        return render(request, "cohorts/programme_form.html", context, status=status)

    def _programme(self, pk: int | None) -> Programme | None:
        if pk is None:
            self.require(Capability.MANAGE_ACCOUNTS)
            return None
        return _run(self.member, pk).programme

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        programme = self._programme(pk)
        if programme is None:
            form = ProgrammeForm(initial={"owner": self.member.pk})
        else:
            form = ProgrammeForm(
                initial={
                    "title": programme.title,
                    "description": programme.description,
                    "space": programme.space_id,
                    "owner": programme.owner_id,
                    "status": programme.status,
                }
            )
        return self._render(request, form, programme, 200)

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        programme = self._programme(pk)
        form = ProgrammeForm(request.POST)
        if not form.is_valid():
            return self._render(request, form, programme, 400)
        data = form.cleaned_data
        try:
            if programme is None:
                programme = services.create_programme(actor=self.member, **data)
                messages.success(request, _("The programme is created."))
            else:
                services.update_programme(actor=self.member, programme=programme, **data)
                messages.success(request, _("The programme is saved."))
        except ValidationError as error:
            add_service_errors(form, error)
            return self._render(request, form, programme, 400)
        return redirect("cohorts:programme-manage", pk=programme.pk)


class ProgrammeManageView(StaffPageMixin, View):
    """The programme's schedule, companies and participants, with a form for each."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return render_manage_page(request, _run(self.member, pk))


def render_manage_page(
    request: HttpRequest, access: ProgrammeAccess, status: int = 200, **bound_forms: Any
) -> HttpResponse:
    programme = access.programme
    next_number = (
        programme.sessions.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    context = {
        "programme": programme,
        "sessions": programme.sessions.all(),
        "companies": programme.accounts.order_by("name"),
        "page": paginate(request, selectors.maps_of_programme(programme), per_page=PAGE_SIZE),
        "session_form": bound_forms.get("session_form")
        or SessionForm(initial={"number": next_number}),
        "company_form": bound_forms.get("company_form") or CompanyForm(),
        "participant_form": bound_forms.get("participant_form")
        or ParticipantForm(programme=programme),
    }
    return render(request, "cohorts/programme_manage.html", context, status=status)


class SessionAddView(StaffPageMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        access = _run(self.member, pk)
        form = SessionForm(request.POST)
        if form.is_valid():
            try:
                services.add_session(
                    actor=self.member, programme=access.programme, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The session is saved."))
                return redirect("cohorts:programme-manage", pk=pk)
        return render_manage_page(request, access, 400, session_form=form)


class SessionEditView(StaffPageMixin, View):
    def _session(self, pk: int, number: int) -> tuple[ProgrammeAccess, Session]:
        access = _run(self.member, pk)
        session = access.programme.sessions.filter(number=number).first()
        if session is None:
            raise Http404
        return access, session

    def _render(
        self, request: HttpRequest, session: Session, form: SessionForm, status: int
    ) -> HttpResponse:
        context = {"programme": session.programme, "session": session, "form": form}
        return render(request, "cohorts/session_form.html", context, status=status)

    def get(self, request: HttpRequest, pk: int, number: int) -> HttpResponse:
        _access, session = self._session(pk, number)
        form = SessionForm(
            initial={"number": session.number, "date": session.date, "title": session.title}
        )
        return self._render(request, session, form, 200)

    def post(self, request: HttpRequest, pk: int, number: int) -> HttpResponse:
        _access, session = self._session(pk, number)
        form = SessionForm(request.POST)
        if form.is_valid():
            try:
                services.update_session(actor=self.member, session=session, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The session is saved."))
                return redirect("cohorts:programme-manage", pk=pk)
        return self._render(request, session, form, 400)


class CompanyAddView(StaffPageMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        access = _run(self.member, pk)
        form = CompanyForm(request.POST)
        if not form.is_valid():
            return render_manage_page(request, access, 400, company_form=form)
        services.enrol_account(
            actor=self.member, programme=access.programme, account=form.cleaned_data["account"]
        )
        messages.success(request, _("The company takes part in the programme."))
        return redirect("cohorts:programme-manage", pk=pk)


class ParticipantAddView(StaffPageMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        access = _run(self.member, pk)
        form = ParticipantForm(request.POST, programme=access.programme)
        if form.is_valid():
            try:
                services.add_participant(
                    actor=self.member,
                    programme=access.programme,
                    member=form.cleaned_data["member"],
                    project_title=form.cleaned_data["project_title"],
                    account=form.cleaned_data["account"],
                )
            except ValidationError as error:
                add_service_errors(form, error, aliases={"title": "project_title"})
            else:
                messages.success(request, _("The participant is enrolled with their project map."))
                return redirect("cohorts:programme-manage", pk=pk)
        return render_manage_page(request, access, 400, participant_form=form)
