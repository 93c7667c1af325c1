"""A large import through a real Celery worker on Redis, as in production.

The web side (a `manage.py shell` here, standing in for a request) commits the job with its
file and queues the check; the worker, another process, checks and imports it while the test
reads the progress the worker reports to the shared cache, rising to the total.
"""

import os
import pickle
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import psycopg
import pytest
import redis

from tests.test_process_model import (  # noqa: F401 (fixtures)
    ROOT,
    database_url,
    redis_url,
    stop,
    wait_for,
)

pytestmark = pytest.mark.processes

CONTACTS = 20_000

UPLOAD = textwrap.dedent(
    f"""
    import tablib
    from django.db import transaction
    from kizuna.crm import services
    from kizuna.customers.models import CustomerAccount
    from kizuna.identity.models import Member

    staff = Member.objects.create_user(email="csm@vendor.example.jp", password="x" * 20,
                                       staff_role="csm")
    CustomerAccount.objects.bulk_create(
        CustomerAccount(name=f"会社{{n}}", salesforce_id=f"001{{n:09d}}") for n in range(200))
    rows = [[f"003{{n:09d}}", "山田", "太郎", f"p{{n}}@c{{n % 200}}.example.jp", f"001{{n % 200:09d}}"]
            for n in range({CONTACTS})]
    data = tablib.Dataset(*rows, headers=["Contact ID", "姓", "名", "メール", "取引先 ID"])
    raw = data.export("csv").encode("cp932")
    with transaction.atomic():
        job = services.upload_file(actor=staff, kind="contacts", file_name="sf.csv", raw=raw)
        services.save_mapping(actor=staff, job=job, mapping=list(job.mapping))
    print(job.pk)
    """
)
RUN = textwrap.dedent(
    """
    import sys
    from kizuna.crm import services
    from kizuna.crm.models import ImportJob
    job = ImportJob.objects.get(pk=int(sys.argv[-1]))
    services.start_import(actor=job.created_by, job=job)
    """
)


def test_a_real_worker_checks_and_imports_a_large_file_reporting_progress(
    database_url: str,  # noqa: F811
    redis_url: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DEBUG"}}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        KIZUNA_VAR_DIR=str(tmp_path / "var"),
        KIZUNA_FAST_PASSWORD_HASHER="1",
    )

    def manage(*args: str, stdin: str | None = None) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    manage("migrate", "--noinput", "-v0")
    log = tmp_path / "celery.log"
    worker = subprocess.Popen(
        [
            *(sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo"),
            *("--loglevel=INFO", "--without-gossip", "--without-mingle"),
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    cache = redis.Redis.from_url(redis_url)
    try:
        job_id = int(manage("shell", stdin=UPLOAD).strip().splitlines()[-1])

        def status() -> str:
            if worker.poll() is not None:
                pytest.fail(f"the worker exited with status {worker.returncode}")
            with psycopg.connect(database_url) as db:
                row = db.execute("SELECT status FROM crm_importjob WHERE id = %s", [job_id])
                return str(row.fetchone()[0])  # type: ignore[index]

        def seen_progress() -> tuple[str, int, int] | None:
            value = cache.get(f":1:kizuna:crm-import:{job_id}:progress")
            return pickle.loads(value) if value else None

        def watch(final: str, phase: str) -> list[int]:
            observed: list[int] = []
            deadline = time.monotonic() + 300
            while status() != final:
                if (found := seen_progress()) and found[0] == phase:
                    observed.append(found[1])
                if time.monotonic() > deadline:
                    pytest.fail(f"the job did not become {final}")
                time.sleep(0.05)
            return observed

        checking = watch("checked", "checking")
        started = time.perf_counter()
        manage("shell", "-c", RUN.replace("sys.argv[-1]", str(job_id)))
        writing = watch("done", "writing")
        elapsed = time.perf_counter() - started

        assert checking == sorted(checking) and writing == sorted(writing)
        assert writing, "the worker reported no progress while writing"
        with psycopg.connect(database_url) as db:
            created = db.execute(
                "SELECT created_count, rejected_count FROM crm_importjob WHERE id = %s", [job_id]
            ).fetchone()
            contacts = db.execute("SELECT count(*) FROM customers_contact").fetchone()
        assert created == (CONTACTS, 0)
        assert contacts == (CONTACTS,)
        assert "kizuna.crm.tasks.run_import" in log.read_text()
        print(f"\n{CONTACTS} contacts through a real worker: import {elapsed:.1f} s")
    finally:
        stop(worker)
        cache.close()
        print(log.read_text(errors="replace")[-3000:])
