"""CRM imports for staff: upload a file, say what its columns are, check it, import it.

The page and the API both come here; the checking and the writing run in Celery tasks
(kizuna.crm.work), queued once the job they work on is committed.
"""

import os
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kizuna.crm import reading, tasks, work
from kizuna.crm.mapping import (
    ACCOUNT_KEYS,
    IGNORE,
    is_economic,
    suggest_mapping,
    target_choices,
    target_label,
)
from kizuna.crm.models import ImportJob, ImportRowError, ImportRowResult
from kizuna.crm.permissions import has_economic_columns, may_import_economics
from kizuna.customers.models import CustomField
from kizuna.identity.models import Member
from kizuna.identity.permissions import check_capability
from kizuna.identity.roles import Capability

ALLOWED_SUFFIXES = (".csv", ".tsv", ".txt")
SAMPLE_ROWS = 3
SAMPLE_CHARS = 80
EDITABLE = (ImportJob.Status.MAPPING, ImportJob.Status.CHECKED, ImportJob.Status.FAILED)


class EconomicsNotAllowed(PermissionDenied):
    """A file whose columns hold account economics, from someone who may not see them."""

    def __init__(self, headers: list[str]) -> None:
        self.headers = headers
        self.message = _(
            "The columns %(columns)s hold account economics (ARR, MRR, LTV, expected lifetime "
            "or custom fields), which your role may not import. Set them to Ignore, or ask an "
            "administrator for access to account economics."
        ) % {"columns": "、".join(f"“{header}”" for header in headers)}
        super().__init__(self.message)


def custom_fields_by_key() -> dict[str, CustomField]:
    return {field.key: field for field in CustomField.objects.all()}


def _clean_file_name(name: str) -> str:
    base = os.path.basename(name.replace("\\", "/")).replace("\x00", "").strip()
    return base[:255] or "import.csv"


@transaction.atomic
def upload_file(*, actor: Member, kind: str, file_name: str, raw: bytes) -> ImportJob:
    """Keep the file with a job and guess what its columns are; nothing is checked yet."""
    check_capability(actor, Capability.MANAGE_ACCOUNTS)
    if kind not in ImportJob.Kind.values:
        raise ValidationError({"kind": _("Choose whether the file holds accounts or contacts.")})
    name = _clean_file_name(file_name)
    if not name.lower().endswith(ALLOWED_SUFFIXES):
        raise ValidationError(
            {"file": _("Upload a CSV file (.csv), as your CRM or Excel saves it.")}
        )
    if not raw:
        raise ValidationError({"file": _("The file is empty.")})
    if len(raw) > reading.MAX_FILE_BYTES:
        raise ValidationError(
            {
                "file": _(
                    "The file is larger than 20 MB. Split it into smaller files and import "
                    "them one after the other."
                )
            }
        )
    try:
        table, decoded, delimiter = reading.read(raw)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    if not table.rows:
        raise ValidationError({"file": _("The file has a header line but no rows to import.")})
    suggestion = suggest_mapping(kind, table.headers, custom_fields_by_key())
    mapping = suggestion.mapping
    if not may_import_economics(actor):
        # Columns with economics are left on Ignore; the mapping page says which and why.
        mapping = [IGNORE if is_economic(target) else target for target in mapping]
    return ImportJob.objects.create(
        kind=kind,
        file_name=name,
        file_size=len(raw),
        raw=raw,
        encoding=decoded.encoding,
        delimiter=delimiter,
        headers=table.headers,
        row_count=len(table.rows),
        samples=[
            [cell.strip()[:SAMPLE_CHARS] for cell in row.cells] for row in table.rows[:SAMPLE_ROWS]
        ],
        source=suggestion.source,
        mapping=mapping,
        created_by=actor,
    )


def withheld_columns(job: ImportJob) -> list[str]:
    """Headers recognised as economics that the job leaves on Ignore (for staff who may not
    import economics, upload_file leaves them there)."""
    suggestion = suggest_mapping(job.kind, job.headers, custom_fields_by_key())
    return [
        header
        for header, suggested, chosen in zip(
            job.headers, suggestion.mapping, job.mapping, strict=False
        )
        if is_economic(suggested) and chosen == IGNORE
    ]


def clean_mapping(job: ImportJob, mapping: list[str]) -> list[str]:
    """The mapping if every column has a known target, each used once, with a column to match
    rows by; else a ValidationError keyed by column ("column_<n>") or for the whole form."""
    if len(mapping) != len(job.headers):
        raise ValidationError(
            _("Give one field per column of the file (%(count)s columns).")
            % {"count": len(job.headers)}
        )
    custom_fields = custom_fields_by_key()
    allowed = {value for value, _label in target_choices(job.kind, custom_fields)}
    errors: dict[str, str] = {}
    first_column: dict[str, int] = {}
    for index, target in enumerate(mapping):
        if target not in allowed:
            errors[f"column_{index}"] = _("Choose a field from the list.")
        elif target != IGNORE and target in first_column:
            errors[f"column_{index}"] = _(
                "“%(field)s” is already chosen for the column “%(column)s”."
            ) % {
                "field": target_label(job.kind, target, custom_fields),
                "column": job.headers[first_column[target]],
            }
        else:
            first_column.setdefault(target, index)
    chosen = set(mapping)
    if job.kind == ImportJob.Kind.ACCOUNTS and not chosen & ACCOUNT_KEYS:
        errors["__all__"] = _(
            "Choose the column with the company name, a CRM ID or the email domain: rows are "
            "matched to accounts by them."
        )
    if job.kind == ImportJob.Kind.CONTACTS and not chosen & {"email", "external_id"}:
        errors["__all__"] = _("Choose the column with the contacts' email addresses.")
    if errors:
        raise ValidationError(errors)
    return list(mapping)


def check_economics(actor: Member, job: ImportJob, mapping: list[str]) -> None:
    economic = [job.headers[i] for i, target in enumerate(mapping) if is_economic(target)]
    if economic and not may_import_economics(actor):
        raise EconomicsNotAllowed(economic)


@transaction.atomic
def save_mapping(*, actor: Member, job: ImportJob, mapping: list[str]) -> ImportJob:
    """Keep what the columns are and check every row in the background (the preview)."""
    check_capability(actor, Capability.MANAGE_ACCOUNTS)
    mapping = clean_mapping(job, mapping)
    check_economics(actor, job, mapping)
    now = timezone.now()
    changed = ImportJob.objects.filter(pk=job.pk, status__in=EDITABLE).update(
        mapping=mapping,
        status=ImportJob.Status.CHECKING,
        queued_at=now,
        checked_at=None,
        failure="",
        created_count=0,
        updated_count=0,
        unchanged_count=0,
        rejected_count=0,
    )
    if not changed:
        raise ValidationError(
            _(
                "This file is being checked or imported, or has been imported already; its "
                "columns can no longer change."
            )
        )
    ImportRowError.objects.filter(job=job).delete()
    ImportRowResult.objects.filter(job=job).delete()
    job.refresh_from_db()
    transaction.on_commit(partial(tasks.check_import.delay, job.pk), robust=True)
    return job


@transaction.atomic
def start_import(*, actor: Member, job: ImportJob) -> ImportJob:
    """Import a checked file without rejected rows, in the background; a repeated request for a
    file already importing or imported changes nothing."""
    check_capability(actor, Capability.MANAGE_ACCOUNTS)
    if has_economic_columns(job):
        check_economics(actor, job, list(job.mapping))
    changed = ImportJob.objects.filter(
        pk=job.pk, status=ImportJob.Status.CHECKED, rejected_count=0
    ).update(status=ImportJob.Status.RUNNING, run_by=actor, queued_at=timezone.now())
    job.refresh_from_db()
    if changed:
        transaction.on_commit(partial(tasks.run_import.delay, job.pk), robust=True)
    elif job.status not in (ImportJob.Status.RUNNING, ImportJob.Status.DONE):
        raise ValidationError(
            _(
                "Only a checked file without rejected rows can be imported: fix the file and "
                "upload it again."
            )
        )
    return job


def resume_if_stalled(job: ImportJob) -> bool:
    """Queue the job's task again if the worker that had it is gone (opening its page does)."""
    if not job.is_working:
        return False
    claimed = work.claim_stalled([job.pk])
    for job_id, status in claimed:
        transaction.on_commit(partial(tasks.queue, job_id, status), robust=True)
    return bool(claimed)
