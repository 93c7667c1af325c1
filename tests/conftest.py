import fcntl
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _prepare_embedded_demo(var_dir: Path) -> None:
    """What `make run`'s first start does before serving: migrate, then load the demo."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "KIZUNA_PROFILE", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(KIZUNA_VAR_DIR=str(var_dir), DJANGO_SETTINGS_MODULE="config.settings")
    var_dir.mkdir()
    for command in (["manage.py", "migrate", "--noinput", "-v0"], ["manage.py", "load_demo"]):
        completed = subprocess.run(
            [sys.executable, *command],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert completed.returncode == 0, completed.stderr[-3000:]
    assert (var_dir / "kizuna.sqlite3").exists()


@pytest.fixture(scope="session")
def embedded_demo_var(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """A var/ folder on which the embedded default migrated and loaded the demo, made once a run.

    That takes most of a minute on SQLite. Tests use a copy of the folder (`embedded_demo_copy`)
    and never write to it, so each still has a database of its own. Under pytest-xdist the workers
    share one folder in the run's temporary root: the first to take the lock prepares it.
    """
    if worker_id == "master":
        var_dir = tmp_path_factory.mktemp("embedded-demo") / "var"
        _prepare_embedded_demo(var_dir)
        return var_dir
    shared = tmp_path_factory.getbasetemp().parent
    var_dir = shared / "embedded-demo-var"
    ready = shared / "embedded-demo-var.ready"
    with (shared / "embedded-demo-var.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not ready.exists():
            # A worker that failed half-way left a partial folder; start again from nothing.
            shutil.rmtree(var_dir, ignore_errors=True)
            _prepare_embedded_demo(var_dir)
            ready.touch()
    return var_dir


@pytest.fixture
def embedded_demo_copy(embedded_demo_var: Path, tmp_path: Path) -> Path:
    """This test's own copy of the prepared var/ folder (the database with its WAL, the media)."""
    var_dir = tmp_path / "var"
    shutil.copytree(embedded_demo_var, var_dir)
    return var_dir
