"""The production process model, for real: gunicorn serves pages, a Celery worker does background work.

One PostgreSQL database is created for the test and dropped afterwards; tasks travel through
Redis (KIZUNA_TEST_REDIS_URL, set by scripts/with-services) on a database number nobody else
is using. A person signs up through gunicorn, confirms the emailed link, and the worker
sends the welcome email.
"""

import email
import email.header
import http.cookiejar
import os
import random
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
import redis

pytestmark = pytest.mark.processes

ROOT = Path(__file__).resolve().parent.parent
COMMUNITY_NAME = "Kizuna Process Test"
SIGNUP_EMAIL = "process.test@example.org"
WAIT_SECONDS = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def database_url_for(name: str) -> str:
    base = urllib.parse.urlsplit(
        os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/postgres"
    )
    return urllib.parse.urlunsplit(base._replace(path="/" + name))


def admin_connection() -> psycopg.Connection[tuple[object, ...]]:
    return psycopg.connect(database_url_for("postgres"), autocommit=True)


@pytest.fixture
def database_url() -> Iterator[str]:
    name = f"kizuna_proc_{random.getrandbits(40):010x}"
    with admin_connection() as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield database_url_for(name)
    finally:
        with admin_connection() as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def redis_url() -> Iterator[str]:
    """A Redis database number that is empty now, flushed again afterwards."""
    base = os.environ.get("KIZUNA_TEST_REDIS_URL") or "redis://127.0.0.1:6379/0"
    parts = urllib.parse.urlsplit(base)
    for number in random.sample(range(1, 16), 15):
        url = urllib.parse.urlunsplit(parts._replace(path=f"/{number}"))
        client = redis.Redis.from_url(url)
        if client.dbsize() == 0:
            break
    else:
        pytest.fail("every Redis database 1-15 holds data; cannot pick one for the test")
    try:
        yield url
    finally:
        client.flushdb()
        client.close()


class Browser:
    """Just enough of a browser: cookies, redirects and Django's CSRF token."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path: str) -> str:
        return self._open(urllib.request.Request(self._url(path)))

    def post_form(self, path: str, page: str, fields: dict[str, str]) -> str:
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert match, "the page has no CSRF token"
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": match.group(1), **fields})
        return self._open(urllib.request.Request(self._url(path), data=body.encode()))

    def _url(self, path: str) -> str:
        return path if path.startswith("http") else self.base_url + path

    def _open(self, request: urllib.request.Request) -> str:
        request.add_header("Accept-Language", "en")
        with self.opener.open(request, timeout=30) as response:
            body: bytes = response.read()
            return body.decode()


def read_mails(folder: Path) -> list[email.message.Message]:
    """Messages written by Django's file-based backend (several per file, split by dashes)."""
    messages = []
    for path in sorted(folder.glob("*.log")):
        for chunk in path.read_text().split("-" * 79):
            if chunk.strip():
                messages.append(email.message_from_string(chunk.strip()))
    return messages


def subject_of(message: email.message.Message) -> str:
    return str(email.header.make_header(email.header.decode_header(message["Subject"])))


def body_of(message: email.message.Message) -> str:
    if message.is_multipart():
        return "".join(body_of(part) for part in message.get_payload())
    payload = message.get_payload(decode=True)
    return payload.decode() if isinstance(payload, bytes) else str(payload)


def wait_for(
    condition_name: str, check: Callable[[], object], seconds: float = WAIT_SECONDS
) -> None:
    """Poll until check() is truthy; a slow machine waits longer, it does not fail sooner."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.25)
    pytest.fail(f"gave up waiting for {condition_name} after {seconds:.0f} s")


def serving(url: str, process: subprocess.Popen[bytes]) -> bool:
    if process.poll() is not None:
        pytest.fail(f"gunicorn exited with status {process.returncode}")
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def test_gunicorn_serves_pages_and_the_celery_worker_sends_the_welcome_email(
    database_url: str, redis_url: str, tmp_path: Path
) -> None:
    mail_folder = tmp_path / "mail"
    mail_folder.mkdir()
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "DEBUG", "KIZUNA_PROFILE", "EMAIL_BACKEND"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(mail_folder),
        KIZUNA_VAR_DIR=str(tmp_path / "var"),
        KIZUNA_SITE_URL=base_url,
        KIZUNA_COMMUNITY_NAME=COMMUNITY_NAME,
        KIZUNA_DISABLE_RATE_LIMITS="1",
    )
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )
    logs = tmp_path / "logs"
    logs.mkdir()
    processes: list[subprocess.Popen[bytes]] = []
    try:
        processes.append(
            subprocess.Popen(
                [
                    *(sys.executable, "-m", "gunicorn", "config.wsgi"),
                    *("--bind", f"127.0.0.1:{port}", "--workers", "2", "--access-logfile", "-"),
                ],
                cwd=ROOT,
                env=env,
                stdout=(logs / "gunicorn.log").open("wb"),
                stderr=subprocess.STDOUT,
            )
        )
        processes.append(
            subprocess.Popen(
                [
                    *(sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo"),
                    *("--loglevel=INFO", "--without-gossip", "--without-mingle"),
                ],
                cwd=ROOT,
                env=env,
                stdout=(logs / "celery.log").open("wb"),
                stderr=subprocess.STDOUT,
            )
        )
        gunicorn, worker = processes
        wait_for("gunicorn to serve the home page", lambda: serving(base_url + "/", gunicorn))
        browser = Browser(base_url)

        signup_page = browser.get("/accounts/signup/")
        browser.post_form(
            "/accounts/signup/",
            signup_page,
            {
                "email": SIGNUP_EMAIL,
                "display_name": "プロセス 太郎",
                "password1": "a long demo passphrase 2026",
                "password2": "a long demo passphrase 2026",
            },
        )
        links = [
            match.group(0)
            for message in read_mails(mail_folder)
            if (
                match := re.search(
                    r"https?://\S+/accounts/confirm-email/[^\s/]+/", body_of(message)
                )
            )
        ]
        assert len(links) == 1, "expected exactly one verification email"
        confirm_page = browser.get(links[0])
        browser.post_form(links[0], confirm_page, {})

        def welcome_subjects() -> list[str]:
            if worker.poll() is not None:
                pytest.fail(f"the Celery worker exited with status {worker.returncode}")
            return [
                subject_of(m)
                for m in read_mails(mail_folder)
                if m["To"] == SIGNUP_EMAIL and "Welcome" in subject_of(m)
            ]

        wait_for("the Celery worker to write the welcome email", welcome_subjects)
        assert welcome_subjects() == [f"Welcome to {COMMUNITY_NAME}"]
        assert "send_welcome_email" in (logs / "celery.log").read_text()
    finally:
        for process in processes:
            stop(process)
        # Shown by pytest only when the test fails.
        for log in sorted(logs.glob("*.log")):
            print(f"--- {log.name} ---\n{log.read_text(errors='replace')[-4000:]}")
