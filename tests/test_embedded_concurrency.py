"""The embedded default holds a handful of simultaneous writers.

`make run` serves SQLite under var/ through runserver's threads. Eight people write at once
(threads, answers to one question, and the same redemption sent eight times with one
Idempotency-Key) against a real server on a private var/ folder; nobody gets a server error,
every committed post is searchable, and each key made exactly one redemption.

Only the server's start has a (generous) deadline; nothing else waits on the clock: each
writer does a fixed number of rounds, a barrier lines the writers up before each round so
their requests overlap, and the checks count rows and search hits.
"""

import http.cookiejar
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WRITERS = 8
# A member at trust level 0 may start three threads an hour (moderation's post_new_member).
ROUNDS = 3
DEMO_PASSWORD = "kizuna-demo-2026"
SERVER_START_SECONDS = 90
REQUEST_SECONDS = 60

PREPARE = """
import json, sys, django
django.setup()
from allauth.account.models import EmailAddress
from django.db.models import Count
from kizuna.content.models import ContentStatus, Post
from kizuna.demo.data import CUSTOMER_LOGIN
from kizuna.gamification.models import MemberBalance
from kizuna.identity.models import Member
from kizuna.rewards.models import Reward
from kizuna.spaces.models import Space

writers_wanted = int(sys.argv[1])
space = (
    Space.objects.filter(access_type="open", parent__isnull=True, archived_at__isnull=True)
    .annotate(size=Count("memberships"))
    .order_by("-size", "pk")
    .first()
)
question = (
    Post.objects.filter(space=space, post_type="question", status=ContentStatus.PUBLISHED,
                        is_locked=False)
    .order_by("pk")
    .first()
)
redeemer = Member.objects.get(email=CUSTOMER_LOGIN.email)
verified = EmailAddress.objects.filter(verified=True).values("user_id")
writers = (
    Member.objects.filter(space_memberships__space=space, is_active=True, staff_role="",
                          pk__in=verified)
    .exclude(pk=redeemer.pk)
    .order_by("pk")[:writers_wanted]
)
reward = Reward.objects.create(name="同時交換の確認", cost_points=1)
print(json.dumps({
    "space": space.slug,
    "question": question.pk,
    "writers": [member.email for member in writers],
    "redeemer": redeemer.email,
    "reward": reward.pk,
    "balance": MemberBalance.objects.get(member=redeemer).balance,
}))
"""

CONNECTION = """
import json, django
django.setup()
from django.conf import settings
from django.db import connection

database = settings.DATABASES["default"]
with connection.cursor() as cursor:
    pragmas = {
        name: cursor.execute(f"PRAGMA {name}").fetchone()[0]
        for name in ("journal_mode", "synchronous", "busy_timeout")
    }
print(json.dumps({
    "pragmas": pragmas,
    "transaction_mode": connection.transaction_mode,
    "conn_max_age": database["CONN_MAX_AGE"],
}))
"""
PRINT_DATABASE = """
import json, django
django.setup()
from django.conf import settings
print(json.dumps(settings.DATABASES["default"].get("OPTIONS", {})))
"""

COMMITTED = """
import json, sys, django
django.setup()
from kizuna.content.models import Answer, Post
from kizuna.core.models import IdempotencyKey
from kizuna.gamification.models import MemberBalance
from kizuna.rewards.models import Redemption

run, reward_id, redeemer = sys.argv[1], int(sys.argv[2]), sys.argv[3]
print(json.dumps({
    "posts": {
        title.split()[-1]: pk
        for pk, title in Post.objects.filter(title__contains=run).values_list("pk", "title")
    },
    "answers": {
        body.split()[-1]: post_id
        for post_id, body in Answer.objects.filter(body__contains=run)
        .values_list("post_id", "body")
    },
    "redemptions": {
        key: Redemption.objects.filter(
            pk__in=IdempotencyKey.objects.filter(scope="rewards.redemption", key=key)
            .values("result_id")
        ).count()
        for key in sys.argv[4:]
    },
    "balance": MemberBalance.objects.get(member__email=redeemer).balance,
}))
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass(frozen=True)
class Reply:
    status: int
    body: str

    def json(self) -> dict[str, object]:
        data: dict[str, object] = json.loads(self.body)
        return data


class Session:
    """One signed-in browser: its cookies, and the CSRF token the API wants in a header."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def request(
        self,
        method: str,
        path: str,
        *,
        json_body: dict[str, object] | None = None,
        form: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Reply:
        data = None
        request_headers = {"Accept-Language": "en", **(headers or {})}
        if json_body is not None:
            data = json.dumps(json_body).encode()
            request_headers["Content-Type"] = "application/json"
        elif form is not None:
            data = urllib.parse.urlencode(form).encode()
        if method != "GET":
            request_headers["X-CSRFToken"] = self.cookie("csrftoken")
        request = urllib.request.Request(
            self.base_url + path, data=data, method=method, headers=request_headers
        )
        try:
            with self.opener.open(request, timeout=REQUEST_SECONDS) as response:
                return Reply(response.status, response.read().decode())
        except urllib.error.HTTPError as error:
            return Reply(error.code, error.read().decode(errors="replace"))

    def cookie(self, name: str) -> str:
        return next((cookie.value or "" for cookie in self.cookies if cookie.name == name), "")

    def sign_in(self, email: str) -> list[Reply]:
        page = self.request("GET", "/accounts/login/")
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
        assert match, f"no CSRF token on the login page ({page.status})"
        fields = {"csrfmiddlewaretoken": match.group(1), "login": email, "password": DEMO_PASSWORD}
        replies = [page, self.request("POST", "/accounts/login/", form=fields)]
        assert self.cookie("sessionid"), f"{email} could not sign in: {replies[-1].status}"
        return replies


def run_python(
    args: list[str], env: dict[str, str], *, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    completed = subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    return completed


def last_json(completed: subprocess.CompletedProcess[str]) -> dict[str, object]:
    data: dict[str, object] = json.loads(completed.stdout.strip().splitlines()[-1])
    return data


@pytest.fixture
def embedded_env(embedded_demo_copy: Path) -> dict[str, str]:
    """`make run`'s environment on this test's copy of a var/ folder migrated with the demo."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "KIZUNA_PROFILE", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(KIZUNA_VAR_DIR=str(embedded_demo_copy), DJANGO_SETTINGS_MODULE="config.settings")
    return env


@pytest.fixture
def server(embedded_env: dict[str, str], tmp_path: Path) -> Iterator[str]:
    """`make run`'s server: runserver, one thread per request, on a free port."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    log = tmp_path / "runserver.log"
    process = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=embedded_env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + SERVER_START_SECONDS
        while not _serving(base_url):
            if process.poll() is not None:
                pytest.fail(f"runserver exited with status {process.returncode}")
            if time.monotonic() > deadline:
                pytest.fail(f"runserver did not answer within {SERVER_START_SECONDS} s")
            time.sleep(0.25)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        # Shown by pytest only when the test fails.
        print(f"--- runserver ---\n{log.read_text(errors='replace')[-6000:]}")


def _serving(base_url: str) -> bool:
    try:
        with urllib.request.urlopen(base_url + "/accounts/login/", timeout=5) as response:
            return bool(response.status == 200)
    except OSError:
        return False


@dataclass
class Load:
    """What the writers share: where to write, and every reply they got."""

    base_url: str
    setup: dict[str, object]
    run: str
    barrier: threading.Barrier
    replies: list[tuple[str, int, Reply]] = field(default_factory=list)
    failures: list[BaseException] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def key(self, round_: int) -> str:
        return f"{self.run}-redeem-{round_}"

    def record(self, label: str, round_: int, reply: Reply) -> None:
        with self.lock:
            self.replies.append((label, round_, reply))


def write_rounds(load: Load, index: int, email: str) -> None:
    """Sign in as `email` and as the redeemer, then each round: a thread, an answer, a redemption."""
    try:
        author, redeemer = Session(load.base_url), Session(load.base_url)
        for reply in author.sign_in(email) + redeemer.sign_in(str(load.setup["redeemer"])):
            load.record("sign in", -1, reply)
        for round_ in range(ROUNDS):
            marker = f"{load.run}w{index}r{round_}"
            steps: list[tuple[str, Session, str, dict[str, object] | None, dict[str, str]]] = [
                (
                    "post",
                    author,
                    f"/api/spaces/{load.setup['space']}/posts",
                    {
                        "post_type": "discussion",
                        "title": f"同時書き込みの確認 {marker}p",
                        "body": f"八人が同時に書き込んでも検索に載ることを確かめます。 {marker}p",
                    },
                    {},
                ),
                (
                    "answer",
                    author,
                    f"/api/posts/{load.setup['question']}/answers",
                    {"body": f"同時に回答しても索引に載ります。 {marker}a"},
                    {},
                ),
                (
                    "redeem",
                    redeemer,
                    f"/api/rewards/{load.setup['reward']}/redeem",
                    None,
                    {"Idempotency-Key": load.key(round_)},
                ),
            ]
            # Each writer starts the round with a different kind of write, so all three overlap.
            shift = index % len(steps)
            load.barrier.wait()
            for label, session, path, body, headers in steps[shift:] + steps[:shift]:
                load.record(
                    label, round_, session.request("POST", path, json_body=body, headers=headers)
                )
    except BaseException as error:
        load.barrier.abort()
        with load.lock:
            load.failures.append(error)


def test_embedded_default_connects_in_wal_mode_waiting_for_the_write_lock_at_begin(
    tmp_path: Path,
) -> None:
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL"}}
    env.update(
        KIZUNA_VAR_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_CONN_MAX_AGE="60",
    )
    assert last_json(run_python(["-c", CONNECTION], env)) == {
        # NORMAL is 1: in WAL mode a commit survives a crash of the process, not of the machine.
        "pragmas": {"journal_mode": "wal", "synchronous": 1, "busy_timeout": 20_000},
        "transaction_mode": "IMMEDIATE",
        "conn_max_age": 0,
    }
    env["DATABASE_URL"] = "postgres://kizuna@db.internal:5432/kizuna"
    # PostgreSQL would refuse SQLite's options when it connects; it gets only its own.
    assert json.loads(run_python(["-c", PRINT_DATABASE], env).stdout) == {"options": "-c jit=off"}


@pytest.mark.processes
def test_embedded_default_serves_eight_concurrent_writers_without_errors_or_gaps(
    embedded_env: dict[str, str], server: str
) -> None:
    setup = last_json(run_python(["-", str(WRITERS)], embedded_env, stdin=PREPARE))
    writers = setup["writers"]
    assert isinstance(writers, list) and len(writers) == WRITERS, setup
    load = Load(
        base_url=server,
        setup=setup,
        run=f"kzrun{uuid.uuid4().hex[:10]}",
        barrier=threading.Barrier(WRITERS, timeout=REQUEST_SECONDS * 4),
    )
    threads = [
        threading.Thread(target=write_rounds, args=(load, index, email), daemon=True)
        for index, email in enumerate(writers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=REQUEST_SECONDS * ROUNDS * 6)
    assert not any(thread.is_alive() for thread in threads), "a writer never finished"
    assert load.failures == []

    server_errors = Counter(label for label, _round, reply in load.replies if reply.status >= 500)
    assert server_errors == Counter()
    statuses = {(label, reply.status) for label, _round, reply in load.replies}
    assert statuses <= {
        ("sign in", 200),
        ("post", 201),
        ("answer", 201),
        ("redeem", 200),
        ("redeem", 201),
    }, statuses
    # Eight requests with one key all got the same redemption back.
    redemption_ids: dict[int, set[object]] = {round_: set() for round_ in range(ROUNDS)}
    for label, round_, reply in load.replies:
        if label == "redeem":
            redemption_ids[round_].add(reply.json()["id"])
    assert {round_: len(ids) for round_, ids in redemption_ids.items()} == dict.fromkeys(
        range(ROUNDS), 1
    )

    keys = [load.key(round_) for round_ in range(ROUNDS)]
    committed = last_json(
        run_python(
            ["-", load.run, str(setup["reward"]), str(setup["redeemer"]), *keys],
            embedded_env,
            stdin=COMMITTED,
        )
    )
    markers = {
        f"{load.run}w{index}r{round_}" for index in range(WRITERS) for round_ in range(ROUNDS)
    }
    posts, answers = committed["posts"], committed["answers"]
    assert isinstance(posts, dict) and isinstance(answers, dict)
    assert set(posts) == {marker + "p" for marker in markers}
    assert set(answers) == {marker + "a" for marker in markers}
    assert committed["redemptions"] == dict.fromkeys(keys, 1)
    assert committed["balance"] == setup["balance"] - ROUNDS  # the reward costs one point

    # Every committed thread is found by its own word, and every answer leads to its question.
    searcher = Session(server)
    searcher.sign_in(writers[0])
    found = {}
    for marker in {**posts, **answers}:
        reply = searcher.request("GET", f"/api/search?q={marker}")
        items = reply.json()["items"] if reply.status == 200 else []
        assert isinstance(items, list), reply
        found[marker] = [item["post_id"] for item in items]
    assert found == {marker: [post_id] for marker, post_id in {**posts, **answers}.items()}
