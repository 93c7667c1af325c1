"""CSV files built the way CRMs export them, and a helper that takes one through an import."""

from collections.abc import Sequence
from typing import Any

import tablib  # type: ignore[import-untyped]

from kizuna.crm import services
from kizuna.crm.models import ImportJob
from kizuna.identity.models import Member


def csv_bytes(
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    encoding: str = "utf-8",
    bom: bool = False,
) -> bytes:
    """A CSV file as tablib writes it, in the encoding a CRM or Excel would use."""
    text: str = tablib.Dataset(*[list(row) for row in rows], headers=list(headers)).export("csv")
    data = text.encode(encoding)
    return b"\xef\xbb\xbf" + data if bom else data


def upload(
    actor: Member, data: bytes, *, kind: str = "accounts", name: str = "export.csv"
) -> ImportJob:
    return services.upload_file(actor=actor, kind=kind, file_name=name, raw=data)


def check(
    actor: Member, job: ImportJob, capture: Any, mapping: list[str] | None = None
) -> ImportJob:
    """Save the mapping (the suggested one unless given) and run the check task."""
    with capture(execute=True):
        services.save_mapping(actor=actor, job=job, mapping=mapping or list(job.mapping))
    job.refresh_from_db()
    return job


def run(actor: Member, job: ImportJob, capture: Any) -> ImportJob:
    with capture(execute=True):
        services.start_import(actor=actor, job=job)
    job.refresh_from_db()
    return job


def import_file(
    actor: Member,
    data: bytes,
    capture: Any,
    *,
    kind: str = "accounts",
    mapping: list[str] | None = None,
) -> ImportJob:
    """Upload, check and, when no row is rejected, import a file; the job as it ends."""
    job = check(actor, upload(actor, data, kind=kind), capture, mapping)
    if job.can_run:
        job = run(actor, job, capture)
    return job
