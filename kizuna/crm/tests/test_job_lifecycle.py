"""The job survives its worker: idempotent tasks, the sweep, resuming on page open, all or
nothing when something fails half-way or the database changed since the preview."""

from datetime import timedelta
from typing import Any

import psycopg
import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kizuna.core.models import AuditEntry
from kizuna.crm import importer, tasks, work
from kizuna.crm.models import ImportJob
from kizuna.crm.tests.factories import check, csv_bytes, run, upload
from kizuna.customers.models import AccountChange, CustomerAccount
from kizuna.customers.tests.factories import CustomerAccountFactory
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import StaffFactory

pytestmark = pytest.mark.usefixtures("english")

HEADERS = ["Account ID", "Account Name", "ARR"]
ROWS = [["001A", "いち", "100"], ["001B", "に", "200"], ["001C", "さん", "300"]]


def left_running(job: ImportJob, actor: Member, minutes: int = 10) -> None:
    """As a worker killed mid-import leaves it: running, queued a while ago, nothing written."""
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.RUNNING,
        run_by=actor,
        queued_at=timezone.now() - timedelta(minutes=minutes),
    )


@pytest.mark.django_db
def test_the_sweep_queues_again_an_import_a_killed_worker_left(
    django_capture_on_commit_callbacks: Any,
) -> None:
    csm: Member = StaffFactory(staff_role="csm")
    job = check(csm, upload(csm, csv_bytes(HEADERS, ROWS)), django_capture_on_commit_callbacks)
    left_running(job, csm)
    recent = check(csm, upload(csm, csv_bytes(HEADERS, ROWS)), django_capture_on_commit_callbacks)
    left_running(recent, csm, minutes=0)  # queued just now: its worker may still be on it

    assert tasks.requeue_stalled_imports() == 1
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert CustomerAccount.objects.count() == 3
    assert ImportJob.objects.get(pk=recent.pk).status == ImportJob.Status.RUNNING


@pytest.mark.django_db
def test_opening_the_page_of_a_stalled_import_resumes_it(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    csm: Member = StaffFactory(staff_role="csm")
    client.force_login(csm)
    job = check(csm, upload(csm, csv_bytes(HEADERS, ROWS)), django_capture_on_commit_callbacks)
    left_running(job, csm)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("crm:import-preview", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE


@pytest.mark.django_db
def test_a_task_delivered_twice_imports_once(django_capture_on_commit_callbacks: Any) -> None:
    csm: Member = StaffFactory(staff_role="csm")
    job = run(
        csm,
        check(csm, upload(csm, csv_bytes(HEADERS, ROWS)), django_capture_on_commit_callbacks),
        django_capture_on_commit_callbacks,
    )
    history = AccountChange.objects.count()
    tasks.run_import(job.pk)
    tasks.check_import(job.pk)
    assert CustomerAccount.objects.count() == 3
    assert AccountChange.objects.count() == history
    assert AuditEntry.objects.filter(action="crm.import_committed").count() == 1
    job.refresh_from_db()
    assert (job.status, job.created_count) == (ImportJob.Status.DONE, 3)
    # The imported file itself is not kept: its people live on as contacts and accounts.
    assert (bytes(job.raw), job.samples) == (b"", [])


@pytest.mark.django_db
def test_an_error_half_way_through_writes_nothing(
    django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    csm: Member = StaffFactory(staff_role="csm")
    job = check(csm, upload(csm, csv_bytes(HEADERS, ROWS)), django_capture_on_commit_callbacks)
    written: list[CustomerAccount] = []
    apply = importer.apply_account_values_batch
    monkeypatch.setattr(importer, "ACCOUNT_WRITE_BATCH", 1)

    def fail_on_the_third(*args: Any, **kwargs: Any) -> list[list[str]]:
        if len(written) == 2:
            raise RuntimeError("the database went away")
        written.extend(account for account, _values in args[0])
        return apply(*args, **kwargs)

    monkeypatch.setattr(importer, "apply_account_values_batch", fail_on_the_third)
    job = run(csm, job, django_capture_on_commit_callbacks)
    assert len(written) == 2
    assert job.status == ImportJob.Status.FAILED
    assert job.failure == "The import stopped because of an unexpected error; nothing was written."
    assert CustomerAccount.objects.count() == 0
    assert AccountChange.objects.count() == 0


@pytest.mark.django_db
def test_rows_that_clash_with_changes_made_since_the_preview_stop_the_import(
    django_capture_on_commit_callbacks: Any,
) -> None:
    csm: Member = StaffFactory(staff_role="csm")
    job = check(csm, upload(csm, csv_bytes(HEADERS, ROWS)), django_capture_on_commit_callbacks)
    CustomerAccountFactory(name="さん", salesforce_id="009Z")  # added meanwhile by someone
    job = run(csm, job, django_capture_on_commit_callbacks)
    assert (job.status, job.rejected_count) == (ImportJob.Status.CHECKED, 1)
    assert list(job.row_errors.values_list("line", "message")) == [
        (4, "This row matches さん by its name or email domain, but that account has the ID 009Z.")
    ]
    assert CustomerAccount.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_job_a_worker_holds_is_not_taken_from_it() -> None:
    csm: Member = StaffFactory(staff_role="csm")
    job = upload(csm, csv_bytes(HEADERS, ROWS))
    left_running(job, csm)
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params) as worker:  # another process, working on the job
        worker.execute("SELECT 1 FROM crm_importjob WHERE id = %s FOR UPDATE", [job.pk])
        assert work.claim_stalled() == []
    assert work.claim_stalled() == [(job.pk, ImportJob.Status.RUNNING)]
