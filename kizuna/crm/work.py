"""The background work of an import: checking every row, and writing the file all or nothing.

Each runs in one transaction holding the job's row lock, and does nothing unless the job is in
the state that asked for it, so a task delivered twice (acks_late, a sweep) runs once. A worker
killed half-way leaves no rows written and the job still checking or running, and unlocked:
`claim_stalled` finds such jobs for the sweep and the page to queue again.
"""

import logging
from collections.abc import Iterable
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kizuna.core.audit import record_audit
from kizuna.crm import importer, progress
from kizuna.crm.models import ImportJob, ImportRowError, ImportRowResult
from kizuna.crm.permissions import can_import, has_economic_columns, may_import_economics
from kizuna.crm.reading import read_stored

logger = logging.getLogger(__name__)

# A job queued this long ago that no worker holds was lost with its worker.
STALL_AFTER = timedelta(minutes=2)
RESULT_BATCH = 2000


def _reporter(job_id: int) -> importer.ProgressFn:
    def report(phase: str, done: int, total: int) -> None:
        progress.record(job_id, phase, done, total)

    return report


def _plan(job: ImportJob) -> importer.ImportPlan:
    table = read_stored(bytes(job.raw), job.encoding, job.delimiter)
    planner = (
        importer.plan_accounts if job.kind == ImportJob.Kind.ACCOUNTS else importer.plan_contacts
    )
    return planner(table, list(job.mapping), progress=_reporter(job.pk))


def _save_rows(job: ImportJob, rows: Iterable[importer.RowPlan]) -> None:
    ImportRowResult.objects.filter(job=job).delete()
    results = (
        ImportRowResult(
            job=job,
            line=row.line,
            outcome=row.outcome,
            label=row.label[:255],
            account=row.account if row.account and row.account.pk else None,
            contact=row.contact if row.contact and row.contact.pk else None,
            changed=row.changed,
        )
        for row in rows
        if row.outcome != importer.UNCHANGED
    )
    for batch in importer.chunks(results, RESULT_BATCH):
        ImportRowResult.objects.bulk_create(batch)


def _save_check(job: ImportJob, plan: importer.ImportPlan) -> None:
    ImportRowError.objects.filter(job=job).delete()
    errors = (
        ImportRowError(
            job=job, line=error.line, column=error.column[:255], message=error.message[:500]
        )
        for error in plan.errors
    )
    for batch in importer.chunks(errors, RESULT_BATCH):
        ImportRowError.objects.bulk_create(batch)
    _save_rows(job, plan.rows)
    job.created_count = plan.count(importer.CREATED)
    job.updated_count = plan.count(importer.UPDATED)
    job.unchanged_count = plan.count(importer.UNCHANGED)
    job.rejected_count = plan.rejected
    job.row_count = plan.total
    job.status = ImportJob.Status.CHECKED
    job.checked_at = timezone.now()
    job.failure = ""


def _fail(job_id: int, status: str, reason: str) -> None:
    ImportJob.objects.filter(pk=job_id, status=status).update(
        status=ImportJob.Status.FAILED, failure=reason[:500], finished_at=timezone.now()
    )
    progress.clear(job_id)


def check_job(job_id: int) -> None:
    """Check every row of a job waiting to be checked; its errors and counts are the preview."""
    try:
        with transaction.atomic():
            job = (
                ImportJob.objects.select_for_update()
                .filter(pk=job_id, status=ImportJob.Status.CHECKING)
                .first()
            )
            if job is None:
                return
            _save_check(job, _plan(job))
            job.save()
        progress.clear(job_id)
    except Exception:
        logger.exception("checking CRM import %s failed", job_id)
        _fail(
            job_id,
            ImportJob.Status.CHECKING,
            _("The rows could not be checked because of an unexpected error."),
        )


def run_job(job_id: int) -> None:
    """Import a checked job, all or nothing: the rows are checked again against the database as
    it is now, and only a file without a rejected row is written."""
    try:
        with transaction.atomic():
            job = (
                ImportJob.objects.select_for_update(of=("self",))
                .select_related("run_by")
                .filter(pk=job_id, status=ImportJob.Status.RUNNING)
                .first()
            )
            if job is None:
                return
            actor = job.run_by
            if actor is None or not can_import(actor):
                job.status, job.failure = ImportJob.Status.FAILED, _("You may not import accounts.")
                job.save()
                return
            if has_economic_columns(job) and not may_import_economics(actor):
                job.status = ImportJob.Status.FAILED
                job.failure = _(
                    "This file has columns with account economics, which you may not import."
                )
                job.save()
                return
            plan = _plan(job)
            if plan.rejected:
                # The database changed since the preview: nothing is written, the new errors shown.
                _save_check(job, plan)
                job.save()
                return
            report = _reporter(job.pk)
            if job.kind == ImportJob.Kind.ACCOUNTS:
                result = importer.write_accounts(plan, actor=actor, progress=report)
            else:
                result = importer.write_contacts(plan, progress=report)
            _save_rows(job, result.rows)
            job.created_count, job.updated_count = result.created, result.updated
            job.unchanged_count, job.rejected_count = result.unchanged, 0
            job.row_count = plan.total
            job.status = ImportJob.Status.DONE
            job.finished_at = timezone.now()
            job.failure = ""
            # The file's people and figures now live in the accounts and contacts, where they
            # are corrected and deleted; the job keeps its headers, counts and what changed.
            job.raw, job.samples = b"", []
            job.save()
            record_audit(
                actor=actor,
                action="crm.import_committed",
                target=job,
                details={
                    "kind": job.kind,
                    "rows": plan.total,
                    "rows_created": result.created,
                    "rows_updated": result.updated,
                    "rows_unchanged": result.unchanged,
                },
            )
        progress.clear(job_id)
    except Exception:
        logger.exception("CRM import %s failed", job_id)
        _fail(
            job_id,
            ImportJob.Status.RUNNING,
            _("The import stopped because of an unexpected error; nothing was written."),
        )


def claim_stalled(job_ids: Iterable[int] | None = None) -> list[tuple[int, str]]:
    """Jobs queued a while ago to check or import that no worker holds: marked queued again now,
    returned as (id, status) for the caller to queue once this commits."""
    now = timezone.now()
    jobs = ImportJob.objects.filter(
        status__in=[ImportJob.Status.CHECKING, ImportJob.Status.RUNNING],
        queued_at__lt=now - STALL_AFTER,
    )
    if job_ids is not None:
        jobs = jobs.filter(pk__in=list(job_ids))
    with transaction.atomic():
        claimed = list(
            jobs.select_for_update(skip_locked=True)
            .order_by("queued_at")
            .values_list("pk", "status")[:100]
        )
        ImportJob.objects.filter(pk__in=[pk for pk, _status in claimed]).update(queued_at=now)
    return claimed
