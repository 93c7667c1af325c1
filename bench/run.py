"""Measure the forum's pages under concurrent load against the benchmark database.

    python bench/run.py                      # generates the full-size database first if missing
    python bench/run.py --clients 8 --requests 400 --seconds 30

Starts gunicorn on a free loopback port against the benchmark database (see
bench/generate.py), signs in a CSM by creating a session with Django's test client,
warms each page up, then drives it with --clients concurrent keep-alive HTTP clients
(threads with http.client) until --requests responses or --seconds have passed.
Latency is measured by the client on loopback: from sending the request to reading the
whole response, so it is the server time plus a loopback round trip and the client's own
overhead (the client shares the machine's cores with the server). Server time is read
from gunicorn's access log (%(D)s: from reading the request to sending the response, in
the worker), under the same concurrency. Pages that do not
exist yet (404) are reported as "not available". Stops gunicorn before it exits.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import generate, recognition  # noqa: E402

SEARCH_QUERY = "請求書 発行"
PAGE_KEYS = (
    "space",
    "feed",
    "thread",
    "search",
    "unanswered",
    "leaderboard",
    "leaderboard-month",
    "leaderboard-space",
    "leaderboard-private",
    "my-recognition",
    "profile",
)


@dataclass
class PageResult:
    name: str
    path: str
    signed_in: bool
    status: str = "ok"
    requests: int = 0
    errors: int = 0
    seconds: float = 0.0
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    p99_ms: float = 0.0
    max_ms: float = 0.0
    throughput: float = 0.0
    server_p50_ms: float = 0.0
    server_p95_ms: float = 0.0
    bytes: int = 0
    statuses: dict[str, int] = field(default_factory=dict)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))
    return ordered[index]


def fetch(connection: http.client.HTTPConnection, path: str, cookie: str) -> tuple[int, int, str]:
    headers = {"Cookie": cookie, "Accept-Language": "ja"} if cookie else {"Accept-Language": "ja"}
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    body = response.read()
    return response.status, len(body), response.getheader("Location") or ""


def wait_for_server(port: int, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited with code {process.returncode}; see its log above")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            fetch(connection, "/", "")
            connection.close()
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not answer within a minute")


def drive(
    port: int, path: str, cookie: str, *, clients: int, requests: int, seconds: float
) -> tuple[list[float], dict[str, int], int, float]:
    """Send GETs from `clients` threads until `requests` are done or `seconds` have passed."""
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    total_bytes = 0
    lock = threading.Lock()
    remaining = [requests]
    deadline = time.monotonic() + seconds

    def client() -> None:
        nonlocal total_bytes
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            while time.monotonic() < deadline:
                with lock:
                    if remaining[0] <= 0:
                        return
                    remaining[0] -= 1
                started = time.perf_counter()
                try:
                    status, size, _location = fetch(connection, path, cookie)
                except (OSError, http.client.HTTPException):
                    status, size = 0, 0
                    connection.close()
                    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                elapsed = time.perf_counter() - started
                with lock:
                    latencies.append(elapsed)
                    statuses[str(status)] = statuses.get(str(status), 0) + 1
                    total_bytes += size
        finally:
            connection.close()

    started = time.monotonic()
    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 120)
    return latencies, statuses, total_bytes, time.monotonic() - started


def server_times(access_log: Path, start: int) -> list[float]:
    """Seconds each request spent inside gunicorn (%(D)s), from the access log after `start`."""
    with access_log.open("rb") as log:
        log.seek(start)
        lines = log.read().decode("utf-8", "replace").splitlines()
    times = []
    for line in lines:
        microseconds = line.split(" ", 1)[0]
        if microseconds.isdigit():
            times.append(int(microseconds) / 1_000_000)
    return times


def bench_page(
    port: int,
    name: str,
    path: str,
    cookie: str,
    options: argparse.Namespace,
    access_log: Path,
) -> PageResult:
    result = PageResult(name=name, path=path, signed_in=bool(cookie))
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        status, _size, location = fetch(connection, path, cookie)
    except (OSError, http.client.HTTPException) as error:
        result.status = f"not available ({error})"
        return result
    finally:
        connection.close()
    if status == 404:
        result.status = "not available (404)"
        return result
    if status >= 500:
        result.status = f"error (HTTP {status})"
        return result
    if status >= 300:
        where = f" → {location}" if location else ""
        result.status = f"not measured (HTTP {status}{where})"
        return result
    drive(
        port,
        path,
        cookie,
        clients=options.clients,
        requests=options.warmup,
        seconds=options.seconds,
    )
    log_start = access_log.stat().st_size
    latencies, statuses, total_bytes, elapsed = drive(
        port,
        path,
        cookie,
        clients=options.clients,
        requests=options.requests,
        seconds=options.seconds,
    )
    ok = [latency for latency in latencies if latency >= 0]
    result.requests = len(latencies)
    result.errors = sum(n for s, n in statuses.items() if not s.startswith("2"))
    result.statuses = statuses
    result.seconds = elapsed
    result.p50_ms = percentile(ok, 0.50) * 1000
    result.p95_ms = percentile(ok, 0.95) * 1000
    result.p99_ms = percentile(ok, 0.99) * 1000
    result.max_ms = max(ok, default=0) * 1000
    result.throughput = len(latencies) / elapsed if elapsed else 0.0
    result.bytes = total_bytes // max(len(latencies), 1)
    time.sleep(0.5)  # let the workers' log lines reach the file
    in_server = server_times(access_log, log_start)
    result.server_p50_ms = percentile(in_server, 0.50) * 1000
    result.server_p95_ms = percentile(in_server, 0.95) * 1000
    return result


@dataclass(frozen=True)
class Targets:
    thread_id: int
    csm_cookie: str
    member_id: int
    member_cookie: str


def session_cookie(member: object) -> str:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(member)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def prepare() -> Targets:
    """The 50-answer thread, a signed-in CSM and the signed-in most active member."""
    from kizuna.content.models import Post
    from kizuna.identity.models import Member

    thread = (
        Post.objects.filter(answer_count__gte=generate.BIG_THREAD_ANSWERS).order_by("pk").first()
    )
    if thread is None:
        raise SystemExit("The benchmark database has no thread with 50 answers; regenerate it.")
    csm = Member.objects.get(email=generate.CSM_EMAIL)
    member = Member.objects.get(pk=generate.MOST_ACTIVE_MEMBER)
    return Targets(thread.pk, session_cookie(csm), member.pk, session_cookie(member))


def pages_to_measure(targets: Targets) -> list[tuple[str, str, str, str]]:
    """(key, name, path, cookie) of every page measured, forum first, then recognition."""
    slug, board = generate.MAIN_SPACE_SLUG, "/recognition/leaderboard/"
    member = targets.member_cookie
    return [
        ("space", "space page", f"/spaces/{slug}/", ""),
        ("feed", "space posts feed", f"/spaces/{slug}/posts/", ""),
        ("thread", "thread page (50 answers)", f"/posts/{targets.thread_id}/", ""),
        ("search", "search 「請求書 発行」", f"/search/?q={quote(SEARCH_QUERY)}", ""),
        ("unanswered", "unanswered queue (CSM)", "/unanswered/", targets.csm_cookie),
        ("leaderboard", "leaderboard, all time (member)", board, member),
        ("leaderboard-month", "leaderboard, this month (member)", f"{board}?period=month", member),
        ("leaderboard-space", "leaderboard, open space (member)", f"{board}?space={slug}", member),
        (
            "leaderboard-private",
            "leaderboard, private space (member of it)",
            f"{board}?space={generate.PRIVATE_SPACE_SLUG}",
            member,
        ),
        ("my-recognition", "my recognition (most active member)", "/recognition/me/", member),
        (
            "profile",
            "member profile (most active member)",
            f"/members/{targets.member_id}/",
            member,
        ),
    ]


def machine() -> dict[str, str]:
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return {"cpus": str(os.cpu_count()), "memory": memory, "python": platform.python_version()}


def postgres_facts(url: str) -> dict[str, str]:
    import psycopg

    with psycopg.connect(url) as conn:
        version = conn.execute("SHOW server_version").fetchone()
        counts = {}
        for table in (
            "identity_member",
            "content_post",
            "content_answer",
            "activity_activity",
            "gamification_ledgerentry",
        ):
            row = conn.execute(f"SELECT count(*) FROM {table}").fetchone()
            counts[table] = f"{row[0] if row else 0:,}"
    return {"postgresql": str(version[0] if version else "?"), **counts}


def print_report(
    results: list[PageResult], facts: dict[str, str], options: argparse.Namespace
) -> None:
    print()
    print(
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC · {facts['cpus']} CPUs · {facts['memory']} · "
        f"PostgreSQL {facts['postgresql']} · gunicorn {options.workers} workers · "
        f"{options.clients} clients · client-side latency on loopback · "
        f"1-minute load average {facts['load_average']}"
    )
    print(
        f"data: {facts['identity_member']} members, {facts['content_post']} posts, "
        f"{facts['content_answer']} answers, {facts['activity_activity']} activity rows, "
        f"{facts['gamification_ledgerentry']} ledger entries"
    )
    print()
    print(
        "| page | requests | errors | client p50 ms | client p95 ms | client p99 ms "
        "| server p50 ms | server p95 ms | req/s |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in results:
        if r.status != "ok":
            print(f"| {r.name} `{r.path}` | {r.status} | | | | | | | |")
            continue
        print(
            f"| {r.name} `{r.path}` | {r.requests} | {r.errors} | {r.p50_ms:.0f} | "
            f"{r.p95_ms:.0f} | {r.p99_ms:.0f} | {r.server_p50_ms:.0f} | {r.server_p95_ms:.0f} | "
            f"{r.throughput:.1f} |"
        )


def measure_recompute(options: argparse.Namespace) -> dict[str, Any]:
    """Recompute throughput, in a process of its own: Django binds one database per process."""
    with tempfile.TemporaryDirectory(prefix="kizuna-recompute-") as work:
        output = Path(work) / "recompute.json"
        command = [
            sys.executable,
            str(ROOT / "bench" / "recognition.py"),
            "--database-name",
            f"{options.database_name}{recognition.DATABASE_SUFFIX}",
            "--json",
            str(output),
        ]
        if options.database_url:
            command += ["--database-url", options.database_url]
        if options.regenerate:
            command.append("--regenerate")
        subprocess.run(command, cwd=ROOT, check=True)
        result: dict[str, Any] = json.loads(output.read_text())
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    generate.add_size_arguments(parser)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients (default 8)")
    parser.add_argument("--requests", type=int, default=400, help="requests per page (default 400)")
    parser.add_argument("--warmup", type=int, default=40, help="warm-up requests per page")
    parser.add_argument(
        "--seconds", type=float, default=30, help="time limit per page (default 30)"
    )
    parser.add_argument("--regenerate", action="store_true", help="rebuild the database first")
    parser.add_argument(
        "--only",
        nargs="+",
        choices=[*PAGE_KEYS, "recompute"],
        help="measure only these pages (recompute: the points recompute throughput)",
    )
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    options = parser.parse_args()

    url = generate.bench_database_url(options.database_url, options.database_name)
    if options.regenerate or not generate.database_exists(url):
        generate.generate(options)
    else:
        generate.setup_django(url)
        generate.ensure_recognition(options)
    pages = pages_to_measure(prepare())
    if options.only:
        pages = [page for page in pages if page[0] in options.only]

    port = free_port()
    work = Path(tempfile.mkdtemp(prefix="kizuna-bench-"))
    access_log = work / "access.log"
    access_log.touch()
    environment = {
        **os.environ,
        "DATABASE_URL": url,
        "DATABASE_CONN_MAX_AGE": "60",
        "DEBUG": "0",
        "KIZUNA_DISABLE_RATE_LIMITS": "1",
    }
    # A cache shared through Redis is not what is measured here; each worker keeps its own.
    environment.pop("REDIS_URL", None)
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "config.wsgi",
        "--workers",
        str(options.workers),
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
        # %(D)s: microseconds from reading the request to sending the response, in the worker.
        "--access-logfile",
        str(access_log),
        "--access-logformat",
        '%(D)s %(s)s "%(r)s"',
        "--timeout",
        "120",
    ]
    print(f"Starting gunicorn with {options.workers} workers on 127.0.0.1:{port} …", flush=True)
    server = subprocess.Popen(command, cwd=ROOT, env=environment, start_new_session=True)
    results: list[PageResult] = []
    load_before = os.getloadavg()[0]
    try:
        wait_for_server(port, server)
        for _key, name, path, page_cookie in pages:
            print(f"  {name}: {path}", flush=True)
            results.append(bench_page(port, name, path, page_cookie, options, access_log))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        shutil.rmtree(work, ignore_errors=True)
    facts = {
        **machine(),
        **postgres_facts(url),
        # Other processes on the machine skew the figures; the load average shows how much.
        "load_average": f"{load_before:.1f} before, {os.getloadavg()[0]:.1f} after",
    }
    print_report(results, facts, options)
    recompute = None
    if not options.only or "recompute" in options.only:
        recompute = measure_recompute(options)
        print()
        print(recognition.describe(recompute))
    if options.json:
        options.json.write_text(
            json.dumps(
                {
                    "machine": facts,
                    "results": [asdict(r) for r in results],
                    "recompute": recompute,
                },
                ensure_ascii=False,
                indent=2,
            )
        )


if __name__ == "__main__":
    main()
