from django.db.models import QuerySet

from kizuna.crm.models import ImportJob, ImportRowError, ImportRowResult


def list_jobs() -> QuerySet[ImportJob]:
    """Past imports, newest first, without their files."""
    return ImportJob.objects.defer("raw").select_related("created_by", "run_by")


def job_errors(job: ImportJob) -> QuerySet[ImportRowError]:
    return ImportRowError.objects.filter(job=job).order_by("line", "pk")


def job_results(job: ImportJob) -> QuerySet[ImportRowResult]:
    return ImportRowResult.objects.filter(job=job).order_by("line", "pk")
