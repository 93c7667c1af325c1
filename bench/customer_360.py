"""The Customer 360 at scale: 2,000 accounts and 100,000 members, the page rendered in-process.

    python bench/customer_360.py                    # builds kizuna_bench_c360 if missing
    python bench/customer_360.py --regenerate --accounts 2000 --members 100000

Builds a database of its own (dropped and created, migrated, then filled with bulk_create in
batches; dates spread by SQL afterwards, since created_at columns are auto_now_add): plans with
capability tags, accounts with ARR from a long tail (a few large, many small) and account sizes
from a skewed draw, members linked to them, space memberships, a year of questions, answers,
comments and likes, events with attendance, points balances for ranks, and an activity stream
(1,000,000 rows by default, each with the actor's account). Then, as a signed-in CSM with every
economics capability, it renders with Django's test client, in this process:

- the Customer 360 of the largest account, of accounts at the size quartiles and of random
  ones (`--renders` in all, after one warm-up), and reports the median and the 95th percentile
  with the number of SQL queries per page;
- the expansion-signals list (first page) and the API summary of the largest account.

Times are server-side render times (view, queries and template), without HTTP or a browser.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import generate  # noqa: E402

DATABASE_NAME = f"{generate.DEFAULT_DATABASE_NAME}_c360"
CSM_EMAIL = "csm@bench-c360.kizuna.example"
BATCH = 5_000
TAGS = ("SSO", "監査ログ", "API連携", "ワークフロー", "電子帳簿保存法", "インボイス", "Webhook",
        "承認フロー", "CSV取り込み", "モバイル", "経費精算", "請求書発行", "会計ソフト連携",
        "交通費精算", "入金消込", "初心者", "管理者", "イベント", "事例", "Tips")  # fmt: skip
# (tag, plan): the capabilities of the plans above Starter.
CAPABILITIES = (
    ("SSO", "Enterprise"),
    ("監査ログ", "Enterprise"),
    ("Webhook", "Enterprise"),
    ("API連携", "Standard"),
    ("ワークフロー", "Standard"),
    ("承認フロー", "Standard"),
)
PLANS = (("Starter", 0, 60), ("Standard", 1, 30), ("Enterprise", 2, 10))


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--accounts", type=int, default=2_000)
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--activities", type=int, default=1_000_000)
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--answers", type=int, default=100_000)
    parser.add_argument("--comments", type=int, default=50_000)
    parser.add_argument("--reactions", type=int, default=200_000)
    parser.add_argument("--events", type=int, default=100)
    parser.add_argument("--registrations", type=int, default=50_000)
    parser.add_argument("--renders", type=int, default=30, help="Customer 360 renders timed")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--database-url", default=None, help="server to use (default DATABASE_URL)")
    parser.add_argument("--database-name", default=DATABASE_NAME)
    parser.add_argument("--regenerate", action="store_true", help="rebuild the database first")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    return parser.parse_args(argv)


def _batches(model: Any, rows: Any) -> int:
    """bulk_create in batches from an iterator; returns how many rows went in."""
    total, batch = 0, []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            model.objects.bulk_create(batch, batch_size=BATCH)
            total += len(batch)
            batch = []
    if batch:
        model.objects.bulk_create(batch, batch_size=BATCH)
        total += len(batch)
    return total


def _spread_dates(table: str, column: str, days: int, seed: float) -> None:
    """created_at columns are auto_now_add: spread them over the last `days` days afterwards."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(%s)", [seed])
        cursor.execute(
            f"UPDATE {table} SET {column} = now() - random() * make_interval(days => %s)", [days]
        )


def build(options: argparse.Namespace, log: Any = print) -> None:
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.core.management import call_command
    from django.db import connection

    from kizuna.activity.models import Activity
    from kizuna.content.models import Answer, Comment, Post, PostType, Reaction, Tag
    from kizuna.customers.models import CustomerAccount, MemberAccountLink, Plan, TouchTier
    from kizuna.events.models import Attendance, Event, Registration, RegistrationStatus
    from kizuna.gamification.models import MemberBalance
    from kizuna.identity.models import Member
    from kizuna.spaces.models import Membership, Space
    from kizuna.success.models import PlanCapabilityTag

    rng = random.Random(options.seed)
    started = time.monotonic()
    log("  migrating …")
    call_command("migrate", verbosity=0)
    now = datetime.now(UTC)

    plans = {
        name: Plan.objects.create(name=name, rank=rank, description=f"{name} plan")
        for name, rank, _share in PLANS
    }
    tags = {name: Tag.objects.create(name=name, slug=name.lower()) for name in TAGS}
    for tag, plan in CAPABILITIES:
        PlanCapabilityTag.objects.create(plan=plans[plan], tag=tags[tag])

    csm = Member.objects.create_user(
        CSM_EMAIL, "bench-password-2026", display_name="ベンチ CSM", staff_role="csm"
    )
    TOTP.activate(csm, generate_totp_secret())

    log(f"  {options.accounts:,} accounts …")
    plan_names = [name for name, _rank, _share in PLANS]
    plan_weights = [share for _name, _rank, share in PLANS]

    def accounts() -> Any:
        for number in range(1, options.accounts + 1):
            plan = plans[rng.choices(plan_names, plan_weights)[0]]
            # A long tail: most accounts pay ¥0.3–3M a year, a few ¥50M and more.
            arr = int(300_000 * rng.paretovariate(1.2))
            yield CustomerAccount(
                name=f"ベンチ株式会社{number:05d}",
                plan=plan,
                arr_minor=arr,
                mrr_minor=arr // 12,
                renewal_date=(now + timedelta(days=rng.randint(1, 365))).date(),
                csm_owner=csm,
                touch_tier=(
                    TouchTier.HIGH
                    if arr >= 10_000_000
                    else TouchTier.LOW
                    if arr >= 1_200_000
                    else TouchTier.TECH
                ),
            )

    _batches(CustomerAccount, accounts())
    account_ids = list(CustomerAccount.objects.order_by("pk").values_list("pk", flat=True))
    # Skewed sizes: account k gets a share ∝ 1 / (k + 10), so the largest has a few hundred.
    size_weights = [1 / (index + 10) for index in range(len(account_ids))]

    log(f"  {options.members:,} members …")
    password = csm.password  # one hash for everyone: the benchmark never signs them in

    def members() -> Any:
        for number in range(1, options.members + 1):
            yield Member(
                email=f"member{number}@bench-c360.example.jp",
                display_name=f"ベンチ会員{number}",
                password=password,
                date_joined=now - timedelta(days=rng.randint(1, 700)),
            )

    _batches(Member, members())
    member_ids = list(Member.objects.exclude(pk=csm.pk).order_by("pk").values_list("pk", flat=True))
    account_of = dict(
        zip(member_ids, rng.choices(account_ids, size_weights, k=len(member_ids)), strict=True)
    )
    _batches(
        MemberAccountLink,
        (
            MemberAccountLink(member_id=member, account_id=account, source="email_domain")
            for member, account in account_of.items()
        ),
    )
    _batches(
        MemberBalance,
        (
            MemberBalance(member_id=member, balance=points, lifetime_points=points)
            for member in member_ids
            if (points := int(rng.paretovariate(1.5) * 20) - 20) > 0
        ),
    )

    log("  spaces and memberships …")
    spaces = [
        Space.objects.create(
            name=f"ベンチ スペース {number}",
            slug=f"c360-space-{number}",
            purpose="ベンチマーク",
            rules="ベンチマーク",
        )
        for number in range(1, 11)
    ]
    _batches(
        Membership,
        (
            Membership(space=space, member_id=member)
            for member in member_ids
            for space in rng.sample(spaces, rng.randint(1, 3))
        ),
    )

    log(f"  {options.posts:,} posts, {options.answers:,} answers, {options.comments:,} comments, "
        f"{options.reactions:,} likes …")  # fmt: skip
    kinds = [PostType.QUESTION, PostType.DISCUSSION, PostType.CASE_STUDY, PostType.ARTICLE]
    _batches(
        Post,
        (
            Post(
                space=rng.choice(spaces),
                author_id=rng.choice(member_ids),
                post_type=rng.choices(kinds, [60, 25, 5, 10])[0],
                title=f"{rng.choice(TAGS)}について質問です {number}",
                body="ベンチマーク用の本文です。",
                body_html="<p>ベンチマーク用の本文です。</p>",
            )
            for number in range(options.posts)
        ),
    )
    post_ids = list(Post.objects.order_by("pk").values_list("pk", flat=True))
    tag_list = list(tags.values())
    _batches(
        Post.tags.through,
        (
            Post.tags.through(post_id=post, tag_id=tag.pk)
            for post in post_ids
            for tag in rng.sample(tag_list, rng.randint(1, 2))
        ),
    )
    _batches(
        Answer,
        (
            Answer(
                post_id=rng.choice(post_ids),
                author_id=rng.choice(member_ids),
                body="ベンチマーク用の回答です。",
                body_html="<p>ベンチマーク用の回答です。</p>",
            )
            for _ in range(options.answers)
        ),
    )
    _batches(
        Comment,
        (
            Comment(post_id=rng.choice(post_ids), author_id=rng.choice(member_ids), body="なるほど")
            for _ in range(options.comments)
        ),
    )
    liked = {(rng.choice(member_ids), rng.choice(post_ids)) for _ in range(options.reactions)}
    _batches(Reaction, (Reaction(member_id=member, post_id=post) for member, post in liked))
    for table, seed in (
        ("content_post", 0.1),
        ("content_answer", 0.2),
        ("content_comment", 0.3),
        ("content_reaction", 0.4),
    ):
        _spread_dates(table, "created_at", 365, seed)

    log(f"  {options.events} events, {options.registrations:,} registrations …")
    events = []
    for number in range(options.events):
        starts = now - timedelta(days=rng.randint(1, 365), hours=rng.randint(0, 23))
        events.append(
            Event.objects.create(
                space=rng.choice(spaces),
                title=f"ベンチ ユーザー会 {number}",
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                online_capacity=10_000,
                status="published",
                published_at=starts - timedelta(days=14),
            )
        )
    registered = {
        (rng.choice(events).pk, rng.choice(member_ids)) for _ in range(options.registrations)
    }
    _batches(
        Registration,
        (
            Registration(
                event_id=event,
                member_id=member,
                seat="online",
                status=RegistrationStatus.CONFIRMED,
                queued_at=now,
                confirmed_at=now,
                attendance=Attendance.ATTENDED if rng.random() < 0.7 else Attendance.NO_SHOW,
            )
            for event, member in registered
        ),
    )

    log(f"  {options.activities:,} activity rows …")
    verbs = ["viewed", "reacted", "logged_in", "answered", "posted", "commented"]
    verb_weights = [50, 15, 15, 8, 6, 6]

    def activities() -> Any:
        for _ in range(options.activities):
            member = rng.choice(member_ids)
            yield Activity(
                actor_id=member,
                verb=rng.choices(verbs, verb_weights)[0],
                object_type="post",
                object_id=rng.choice(post_ids),
                account_id=account_of[member],
                occurred_at=now - timedelta(seconds=rng.randint(0, 200 * 86_400)),
            )

    _batches(Activity, activities())
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    log(f"  built in {time.monotonic() - started:.0f} s")


def _render(client: Any, path: str) -> tuple[float, int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(path)
        elapsed = time.perf_counter() - started
    return elapsed * 1000, len(queries.captured_queries), response.status_code


def measure(options: argparse.Namespace) -> dict[str, Any]:
    url = generate.bench_database_url(options.database_url, options.database_name)
    rebuilt = options.regenerate or not generate.database_exists(url)
    if rebuilt:
        generate.recreate_database(url)
    generate.setup_django(url)
    if rebuilt:
        build(options)

    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse

    from kizuna.customers.models import CustomerAccount
    from kizuna.identity.models import Member

    rng = random.Random(options.seed)
    csm = Member.objects.get(email=CSM_EMAIL)
    client = Client()
    client.force_login(csm)
    by_size = list(
        CustomerAccount.objects.annotate(n=Count("member_links"))
        .order_by("-n", "pk")
        .values_list("pk", "n")
    )
    largest, largest_members = by_size[0]
    quartiles = [by_size[len(by_size) * share // 4] for share in (1, 2, 3)]
    sample = [largest] + [pk for pk, _n in quartiles]
    while len(sample) < options.renders:
        sample.append(rng.choice(by_size)[0])

    page = lambda pk: reverse("success:account-360", args=[pk])  # noqa: E731
    _render(client, page(largest))  # warm-up: imports, template loading, connection
    renders = [_render(client, page(pk)) for pk in sample]
    assert all(status == 200 for _ms, _q, status in renders), renders
    times = sorted(ms for ms, _q, _s in renders)
    largest_ms, largest_queries, _status = renders[0]
    signals = [_render(client, reverse("success:expansion-signals")) for _ in range(5)]
    summary = [_render(client, f"/api/accounts/{largest}/summary") for _ in range(5)]
    return {
        "database": options.database_name,
        "accounts": CustomerAccount.objects.count(),
        "members": Member.objects.count() - 1,
        "largest_account_members": largest_members,
        "quartile_account_members": [n for _pk, n in quartiles],
        "renders": len(renders),
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 1),
        "largest_ms": round(largest_ms, 1),
        "queries_per_page": sorted({q for _ms, q, _s in renders}),
        "largest_queries": largest_queries,
        "signals_list_median_ms": round(statistics.median(ms for ms, _q, _s in signals), 1),
        "signals_list_queries": signals[-1][1],
        "api_summary_median_ms": round(statistics.median(ms for ms, _q, _s in summary), 1),
    }


def describe(result: dict[str, Any]) -> str:
    return "\n".join(
        [
            f"Customer 360 over {result['accounts']:,} accounts and {result['members']:,} members "
            f"(largest account {result['largest_account_members']:,} members; quartiles "
            f"{', '.join(str(n) for n in result['quartile_account_members'])}), rendered "
            "in-process by a signed-in CSM:",
            "",
            "| what | median ms | other | SQL queries |",
            "| --- | ---: | --- | ---: |",
            f"| Customer 360, {result['renders']} accounts | {result['median_ms']} | "
            f"p95 {result['p95_ms']} ms, largest account {result['largest_ms']} ms | "
            f"{'/'.join(str(q) for q in result['queries_per_page'])} |",
            f"| expansion signals, first page | {result['signals_list_median_ms']} | | "
            f"{result['signals_list_queries']} |",
            f"| GET /api/accounts/{{id}}/summary, largest | {result['api_summary_median_ms']} | | |",
        ]
    )


def main() -> None:
    options = parse_args()
    result = measure(options)
    print(describe(result))
    if options.json:
        options.json.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
