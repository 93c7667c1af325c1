"""Staff pages of CRM imports: past imports, upload, columns, preview with progress, report."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django_htmx.http import HttpResponseClientRefresh

from kizuna.core.forms import add_service_errors
from kizuna.core.htmx import HtmxHttpRequest
from kizuna.core.pagination import paginate
from kizuna.crm import progress, services
from kizuna.crm.access import access_import_job
from kizuna.crm.forms import MappingForm, UploadForm
from kizuna.crm.mapping import DOMAINS, target_label
from kizuna.crm.models import ImportJob, ImportRowResult
from kizuna.crm.permissions import can_view_job, may_import_economics
from kizuna.crm.reading import encoding_label
from kizuna.crm.selectors import job_errors, job_results, list_jobs
from kizuna.customers.models import CustomField
from kizuna.identity.roles import Capability
from kizuna.identity.staff import StaffPageMixin


def _page_for(job: ImportJob) -> str:
    """Where a job is shown in its current state."""
    if job.status == ImportJob.Status.MAPPING:
        return "crm:import-mapping"
    if job.status == ImportJob.Status.DONE:
        return "crm:import-report"
    return "crm:import-preview"


def _changed_labels(
    job: ImportJob, results: list[ImportRowResult], custom_fields: dict[str, CustomField]
) -> list[tuple[ImportRowResult, list[str]]]:
    labelled = []
    for result in results:
        names = [
            _("Email domains") if name == DOMAINS else target_label(job.kind, name, custom_fields)
            for name in result.changed
        ]
        labelled.append((result, names))
    return labelled


class ImportListView(StaffPageMixin, View):
    required_capability = Capability.MANAGE_ACCOUNTS

    def get(self, request: HttpRequest) -> HttpResponse:
        page = paginate(request, list_jobs())
        rows = [(job, can_view_job(request.user, job), _page_for(job)) for job in page]
        return render(request, "crm/import_list/index.html", {"page": page, "rows": rows})


class ImportNewView(StaffPageMixin, View):
    required_capability = Capability.MANAGE_ACCOUNTS
    template_name = "crm/import_new/index.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        kind = request.GET.get("kind")
        initial = {"kind": kind} if kind in ImportJob.Kind.values else {}
        return render(request, self.template_name, {"form": UploadForm(initial=initial)})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                job = services.upload_file(
                    actor=self.member,
                    kind=form.cleaned_data["kind"],
                    file_name=upload.name or "",
                    raw=upload.read(),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect("crm:import-mapping", pk=job.pk)
        return render(request, self.template_name, {"form": form}, status=400)


class ImportMappingView(StaffPageMixin, View):
    required_capability = Capability.MANAGE_ACCOUNTS
    template_name = "crm/import_mapping/index.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        job = access_import_job(request.user, pk)
        if job.status not in services.EDITABLE:
            return redirect(_page_for(job), pk=job.pk)
        return self.render_page(request, job, self.form(job))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        job = access_import_job(request.user, pk)
        form = self.form(job, request.POST)
        if job.status not in services.EDITABLE:
            messages.info(request, _("This file is already being imported."))
            return redirect(_page_for(job), pk=job.pk)
        if form.is_valid():
            try:
                services.save_mapping(actor=self.member, job=job, mapping=form.mapping())
            except services.EconomicsNotAllowed as refusal:
                for index, header in enumerate(job.headers):
                    if header in refusal.headers:
                        form.add_error(f"column_{index}", _("Your role may not import this."))
                form.add_error(None, refusal.message)
                return self.render_page(request, job, form, status=403)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect("crm:import-preview", pk=job.pk)
        return self.render_page(request, job, form, status=400)

    def form(self, job: ImportJob, data: object = None) -> MappingForm:
        return MappingForm(data, job=job, custom_fields=services.custom_fields_by_key())

    def render_page(
        self, request: HttpRequest, job: ImportJob, form: MappingForm, status: int = 200
    ) -> HttpResponse:
        context = {
            "job": job,
            "form": form,
            "encoding": encoding_label(job.encoding),
            "may_import_economics": may_import_economics(request.user),
            "withheld": services.withheld_columns(job),
        }
        return render(request, self.template_name, context, status=status)


def _progress_context(job: ImportJob) -> dict[str, object]:
    current = progress.read(job.pk)
    if current is None:
        current = progress.Progress(phase="checking", done=0, total=job.row_count)
    return {"job": job, "progress": current}


class ImportPreviewView(StaffPageMixin, View):
    required_capability = Capability.MANAGE_ACCOUNTS
    template_name = "crm/import_preview/index.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        job = access_import_job(request.user, pk)
        if job.status in (ImportJob.Status.MAPPING, ImportJob.Status.DONE):
            return redirect(_page_for(job), pk=job.pk)
        services.resume_if_stalled(job)
        context: dict[str, object] = {
            **_progress_context(job),
            "encoding": encoding_label(job.encoding),
        }
        if job.has_errors:
            context["page"] = paginate(request, job_errors(job))
        elif job.status == ImportJob.Status.CHECKED:
            page = paginate(request, job_results(job))
            context["page"] = page
            context["results"] = _changed_labels(job, list(page), services.custom_fields_by_key())
        return render(request, self.template_name, context)


class ImportProgressView(StaffPageMixin, View):
    """The progress bar the preview polls; once the work is done the page reloads."""

    required_capability = Capability.MANAGE_ACCOUNTS

    def get(self, request: HtmxHttpRequest, pk: int) -> HttpResponse:
        job = access_import_job(request.user, pk)
        if not request.htmx:
            return redirect(_page_for(job), pk=job.pk)
        if not job.is_working:
            return HttpResponseClientRefresh()
        services.resume_if_stalled(job)
        return render(request, "crm/import_preview/progress.html", _progress_context(job))


class ImportRunView(StaffPageMixin, View):
    required_capability = Capability.MANAGE_ACCOUNTS

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        job = access_import_job(request.user, pk)
        return redirect(_page_for(job), pk=job.pk)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        job = access_import_job(request.user, pk)
        try:
            job = services.start_import(actor=self.member, job=job)
        except services.EconomicsNotAllowed as refusal:
            messages.error(request, refusal.message)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(_page_for(job), pk=job.pk)


class ImportReportView(StaffPageMixin, View):
    required_capability = Capability.MANAGE_ACCOUNTS
    template_name = "crm/import_report/index.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        job = access_import_job(request.user, pk)
        if job.status != ImportJob.Status.DONE:
            return redirect(_page_for(job), pk=job.pk)
        page = paginate(request, job_results(job).select_related("account", "contact__account"))
        context = {
            "job": job,
            "page": page,
            "results": _changed_labels(job, list(page), services.custom_fields_by_key()),
            "encoding": encoding_label(job.encoding),
        }
        return render(request, self.template_name, context)
