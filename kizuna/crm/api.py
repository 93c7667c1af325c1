"""The CRM import API, for staff who manage accounts: upload a CSV, follow its check, import it.

The same services as the pages: the file is kept with its job, checked by a task, and imported
all or nothing by another; a client polls the job until it is checked, reads the errors, and
runs it. Columns with account economics need the right to see them (403 `economics_hidden`).
"""

import json

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.params.functions import Path as PathParam

from kizuna.core.api_errors import ERROR_RESPONSES, ApiError
from kizuna.core.api_pagination import LimitOffsetPage, Rows
from kizuna.core.api_types import ID_MAX
from kizuna.crm import progress, services
from kizuna.crm.access import access_import_job
from kizuna.crm.models import ImportJob, ImportRowError
from kizuna.crm.reading import encoding_label
from kizuna.crm.schemas import (
    ImportCountsOut,
    ImportJobOut,
    ImportJobPageOut,
    ImportKindValue,
    ImportProgressOut,
    ImportRowErrorOut,
)
from kizuna.crm.selectors import job_errors
from kizuna.identity.api_auth import api_auth, get_actor
from kizuna.identity.models import ApiKey
from kizuna.identity.permissions import check_capability
from kizuna.identity.roles import Capability

router = Router(tags=["crm imports"])

WRITE = api_auth(ApiKey.Scope.ACCOUNTS_WRITE)
ECONOMICS_HIDDEN = "economics_hidden"


def _job_fields(job: ImportJob) -> dict[str, object]:
    current = progress.read(job.pk) if job.is_working else None
    return {
        "id": job.pk,
        "kind": job.kind,
        "status": job.status,
        "file_name": job.file_name,
        "encoding": encoding_label(job.encoding),
        "recognised_as": job.source,
        "headers": list(job.headers),
        "mapping": list(job.mapping),
        "rows": job.row_count,
        "progress": (
            ImportProgressOut(phase=current.phase, done=current.done, total=current.total)  # type: ignore[arg-type]
            if current
            else None
        ),
        "counts": ImportCountsOut(
            created=job.created_count,
            updated=job.updated_count,
            unchanged=job.unchanged_count,
            rejected=job.rejected_count,
        ),
        "failure": job.failure,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
    }


def _job_out(job: ImportJob) -> ImportJobOut:
    return ImportJobOut(**_job_fields(job))  # type: ignore[arg-type]


def _economics_refused(refusal: services.EconomicsNotAllowed) -> ApiError:
    return ApiError(403, ECONOMICS_HIDDEN, refusal.message)


def _parse_mapping(text: str) -> list[str] | None:
    if not text.strip():
        return None
    try:
        mapping = json.loads(text)
    except ValueError:
        mapping = None
    if not isinstance(mapping, list) or not all(isinstance(item, str) for item in mapping):
        raise ValidationError(
            {
                "mapping": _(
                    "Send the mapping as a JSON list with one field per column, such as "
                    '["name", "arr_minor", ""].'
                )
            }
        )
    return mapping


@router.post(
    "/crm-imports",
    response={201: ImportJobOut, **ERROR_RESPONSES},
    auth=WRITE,
    summary="Upload a CRM export (CSV) to check",
    description=(
        "A multipart form with `file` (CSV in UTF-8 or Shift_JIS, up to 20 MB), `kind` "
        "(accounts or contacts) and optionally `mapping`, a JSON list with the field each "
        "column fills (an empty string ignores it); without it the columns are matched by "
        "their headers (Salesforce, HubSpot, Kizuna's own). The rows are then checked in the "
        "background: poll the job until its status is `checked`."
    ),
)
def create_import(
    request: HttpRequest,
    file: File[UploadedFile],
    kind: Form[ImportKindValue],
    mapping: Form[str] = "",
) -> Status[ImportJobOut]:
    actor = get_actor(request)
    check_capability(actor, Capability.MANAGE_ACCOUNTS)
    wanted = _parse_mapping(mapping)
    try:
        with transaction.atomic():
            job = services.upload_file(
                actor=actor, kind=kind, file_name=file.name or "", raw=file.read()
            )
            if wanted is None and (withheld := services.withheld_columns(job)):
                raise services.EconomicsNotAllowed(withheld)
            job = services.save_mapping(actor=actor, job=job, mapping=wanted or list(job.mapping))
    except services.EconomicsNotAllowed as refusal:
        raise _economics_refused(refusal) from refusal
    job.refresh_from_db()
    return Status(201, _job_out(job))


@router.get(
    "/crm-imports/{job_id}",
    response={200: ImportJobPageOut, **ERROR_RESPONSES},
    auth=WRITE,
    summary="Get a CRM import: status, progress, counts and the rejected rows",
)
@paginate(LimitOffsetPage)
def get_import(
    request: HttpRequest, job_id: int = PathParam(..., ge=1, le=ID_MAX)
) -> Rows[ImportRowError]:
    job = access_import_job(get_actor(request), job_id)
    if services.resume_if_stalled(job):
        job.refresh_from_db()
    return Rows(
        job_errors(job),
        lambda page: [
            ImportRowErrorOut(line=error.line, column=error.column, message=error.message)
            for error in page
        ],
        extra=_job_fields(job),
    )


@router.post(
    "/crm-imports/{job_id}/run",
    response={202: ImportJobOut, **ERROR_RESPONSES},
    auth=WRITE,
    summary="Import a checked CRM file, all or nothing",
    description=(
        "Only a checked file without rejected rows is imported (422 otherwise: fix the file "
        "and upload it again). The rows are written in the background in one transaction; "
        "poll the job until its status is `done`. Asking again changes nothing."
    ),
)
def run_import(
    request: HttpRequest, job_id: int = PathParam(..., ge=1, le=ID_MAX)
) -> Status[ImportJobOut]:
    actor = get_actor(request)
    job = access_import_job(actor, job_id)
    try:
        job = services.start_import(actor=actor, job=job)
    except services.EconomicsNotAllowed as refusal:
        raise _economics_refused(refusal) from refusal
    return Status(202, _job_out(job))
