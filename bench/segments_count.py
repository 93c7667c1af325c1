"""Segment count at scale: 2,000 accounts and 100,000 members.

    python bench/segments_count.py                    # builds kizuna_bench_segments if missing
    python bench/segments_count.py --regenerate --runs 9

Builds a database of its own (bulk_create, in a few minutes): accounts with plans, touch tiers,
ARR and renewals; members linked to them (a tenth without an account), points for levels,
activity over the last 180 days, space memberships, challenge tags and event attendance. Then
times `kizuna.segments.selectors.count` for typical segments, each the median of --runs runs
after one warm-up run, and prints the plan PostgreSQL chose for the first. Not part of the test
suite; the figure goes into docs/benchmarks.md.
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

DATABASE_NAME = f"{generate.DEFAULT_DATABASE_NAME}_segments"
BATCH = 5_000


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--accounts", type=int, default=2_000)
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--activities-per-member", type=int, default=4)
    parser.add_argument("--runs", type=int, default=7, help="timed runs per segment (median)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--database-url", default=None, help="server to use (default DATABASE_URL)")
    parser.add_argument("--database-name", default=DATABASE_NAME)
    parser.add_argument("--regenerate", action="store_true", help="rebuild the database first")
    parser.add_argument(
        "--no-jit",
        action="store_true",
        help="SET jit = off on the connection first (PostgreSQL's JIT compiles for longer than "
        "these queries run; see docs/benchmarks.md)",
    )
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    return parser.parse_args(argv)


def build(options: argparse.Namespace, url: str) -> None:
    """Drop, create, migrate and fill the database with bulk_create."""
    from django.core.management import call_command

    started = time.monotonic()
    print(f"Recreating {options.database_name} and migrating it …", flush=True)
    generate.recreate_database(url)
    generate.setup_django(url)
    call_command("migrate", verbosity=0, interactive=False)

    from kizuna.activity.models import Activity, Verb
    from kizuna.customers.models import (
        CustomerAccount,
        EmployeeBand,
        LifecycleStage,
        MemberAccountLink,
        Plan,
        TouchTier,
    )
    from kizuna.events.models import Attendance, Event, EventStatus, Registration, SeatKind
    from kizuna.gamification.models import MemberBalance
    from kizuna.identity.models import Interest, Member
    from kizuna.spaces.models import Membership, Space

    rng = random.Random(options.seed)
    now = datetime.now(UTC)

    def step(label: str, since: float) -> None:
        print(f"  {label} in {time.monotonic() - since:.1f} s", flush=True)

    t = time.monotonic()
    plans = Plan.objects.bulk_create(
        [Plan(name=name, rank=rank) for rank, name in enumerate(["Starter", "Standard", "Pro"])]
    )
    stages = [choice for choice, _label in LifecycleStage.choices]
    bands = [choice for choice, _label in EmployeeBand.choices]
    accounts = []
    for n in range(options.accounts):
        # A few large accounts, many small: ARR on a log scale from ¥300k to ¥50M.
        arr = int(300_000 * (10 ** (rng.random() ** 2.2 * 2.2)))
        tier = (
            TouchTier.HIGH
            if arr >= 10_000_000
            else TouchTier.LOW
            if arr >= 1_200_000
            else TouchTier.TECH
        )
        accounts.append(
            CustomerAccount(
                name=f"ベンチ株式会社{n:05d}",
                plan=plans[min(2, arr // 4_000_000)],
                arr_minor=arr,
                mrr_minor=arr // 12,
                touch_tier=tier,
                lifecycle_stage=rng.choice(stages),
                employee_band=rng.choice(bands),
                industry=rng.choice(["製造業", "小売業", "IT", "金融", "医療"]),
                region=rng.choice(["関東", "関西", "中部", "九州", "北海道"]),
                renewal_date=(now + timedelta(days=rng.randrange(365))).date(),
                is_strategic=rng.random() < 0.03,
            )
        )
    accounts = CustomerAccount.objects.bulk_create(accounts, batch_size=BATCH)
    step(f"{len(accounts):,} accounts", t)

    t = time.monotonic()
    members = [
        Member(
            email=f"bench{n}@segments.bench.example",
            display_name=f"ベンチ会員{n}",
            password="!",
            date_joined=now - timedelta(days=rng.randrange(1, 900)),
        )
        for n in range(options.members)
    ]
    members = Member.objects.bulk_create(members, batch_size=BATCH)
    step(f"{len(members):,} members", t)

    t = time.monotonic()
    links = [
        MemberAccountLink(member=member, account=rng.choice(accounts), source="email_domain")
        for member in members
        if rng.random() < 0.9
    ]
    MemberAccountLink.objects.bulk_create(links, batch_size=BATCH)
    # Lifetime points skewed low: most Bronze, some Silver (100+), few Gold (500+).
    balances = [
        MemberBalance(member=member, balance=points, lifetime_points=points)
        for member in members
        if (points := int(rng.paretovariate(1.2) * 20) - 20) > 0
    ]
    MemberBalance.objects.bulk_create(balances, batch_size=BATCH)
    step(f"{len(links):,} account links and {len(balances):,} balances", t)

    t = time.monotonic()
    spaces = Space.objects.bulk_create(
        [
            Space(name=f"ベンチスペース{n}", slug=f"bench-segments-{n}", purpose="p", rules="r")
            for n in range(20)
        ]
    )
    memberships = []
    for member in members:
        for space in rng.sample(spaces, rng.choice([0, 1, 1, 2, 3])):
            memberships.append(Membership(space=space, member=member))
    Membership.objects.bulk_create(memberships, batch_size=BATCH)
    interests = Interest.objects.bulk_create([Interest(name=f"ベンチ課題{n}") for n in range(30)])
    Through = Member.interests.through
    tags = [
        Through(member_id=member.pk, interest_id=interest.pk)
        for member in members
        for interest in rng.sample(interests, rng.choice([0, 0, 1, 2]))
    ]
    Through.objects.bulk_create(tags, batch_size=BATCH)
    step(f"{len(memberships):,} space memberships and {len(tags):,} challenge tags", t)

    t = time.monotonic()
    verbs = [Verb.VIEWED, Verb.VIEWED, Verb.REACTED, Verb.COMMENTED, Verb.POSTED, Verb.ANSWERED]
    activities: list[Any] = []
    written = 0
    for member in members:
        # A quarter of the members did nothing in the last 180 days.
        if rng.random() < 0.25:
            continue
        for _ in range(rng.randrange(1, 2 * options.activities_per_member)):
            activities.append(
                Activity(
                    actor_id=member.pk,
                    verb=rng.choice(verbs),
                    object_type="post",
                    occurred_at=now - timedelta(minutes=rng.randrange(180 * 24 * 60)),
                )
            )
        if len(activities) >= BATCH * 4:
            Activity.objects.bulk_create(activities, batch_size=BATCH)
            written += len(activities)
            activities = []
    Activity.objects.bulk_create(activities, batch_size=BATCH)
    written += len(activities)
    step(f"{written:,} activities", t)

    t = time.monotonic()
    events = []
    for n in range(60):
        starts = now - timedelta(days=3 * n + 1)
        events.append(
            Event(
                space=spaces[n % len(spaces)],
                title=f"ベンチ勉強会{n}",
                description="",
                description_html="",
                format="online",
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                online_capacity=5_000,
                status=EventStatus.PUBLISHED,
                published_at=starts - timedelta(days=14),
            )
        )
    events = Event.objects.bulk_create(events)
    registrations = []
    for member in rng.sample(members, len(members) // 5):
        for event in rng.sample(events, rng.randrange(1, 5)):
            registrations.append(
                Registration(
                    event=event,
                    member=member,
                    seat=SeatKind.ONLINE,
                    status="confirmed",
                    queued_at=event.starts_at - timedelta(days=7),
                    attendance=Attendance.ATTENDED if rng.random() < 0.7 else Attendance.NO_SHOW,
                )
            )
    Registration.objects.bulk_create(registrations, batch_size=BATCH)
    step(f"{len(registrations):,} event registrations", t)

    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"Built in {time.monotonic() - started:.1f} s", flush=True)


def segments() -> dict[str, Any]:
    """The segments timed: typical ones a CSM or a community manager saves."""
    from kizuna.gamification.models import Level
    from kizuna.identity.models import Interest
    from kizuna.segments.models import Segment
    from kizuna.spaces.models import Space

    silver = Level.objects.get(name_en="Silver")
    first_space = Space.objects.filter(slug="bench-segments-0").get()
    interests = [str(pk) for pk in Interest.objects.order_by("pk").values_list("pk", flat=True)[:3]]
    return {
        "engaged high/low-touch customers (members)": Segment(
            name="a",
            target="members",
            match="all",
            conditions=[
                {"field": "account.touch_tier", "op": "in", "value": ["high", "low"]},
                {"field": "member.level", "op": "gte", "value": str(silver.pk)},
                {"field": "member.active", "op": "within_last", "value": 30},
            ],
        ),
        "event regulars with a challenge (members)": Segment(
            name="b",
            target="members",
            match="all",
            conditions=[
                {"field": "member.events_attended", "op": "gte", "value": {"count": 2, "days": 90}},
                {"field": "member.interests", "op": "in", "value": interests},
                {"field": "member.space", "op": "in", "value": [str(first_space.pk)]},
            ],
        ),
        "quiet or renewing soon (members, any)": Segment(
            name="c",
            target="members",
            match="any",
            conditions=[
                {"field": "member.active", "op": "not_within_last", "value": 60},
                {"field": "account.renewal", "op": "within_next", "value": 90},
            ],
        ),
        "big accounts renewing this quarter (accounts)": Segment(
            name="d",
            target="accounts",
            match="all",
            conditions=[
                {
                    "field": "account.arr",
                    "op": "gte",
                    "value": {"minor": 5_000_000, "currency": "JPY"},
                },
                {"field": "account.renewal", "op": "within_next", "value": 90},
            ],
        ),
    }


def measure(options: argparse.Namespace) -> dict[str, Any]:
    url = generate.bench_database_url(options.database_url, options.database_name)
    if options.regenerate or not generate.database_exists(url):
        build(options, url)
    else:
        generate.setup_django(url)

    from django.db import connection

    from kizuna.customers.models import CustomerAccount
    from kizuna.identity.models import Member
    from kizuna.segments.selectors import count, matching

    if options.no_jit:
        with connection.cursor() as cursor:
            cursor.execute("SET jit = off")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        jit = cursor.fetchone()
    results: dict[str, Any] = {
        "jit": jit[0] if jit else "",
        "accounts": CustomerAccount.objects.count(),
        "members": Member.objects.count(),
        "runs": options.runs,
        "segments": {},
    }
    for label, segment in segments().items():
        found = count(segment)  # warm-up
        timings = []
        for _ in range(options.runs):
            started = time.perf_counter()
            assert count(segment) == found
            timings.append((time.perf_counter() - started) * 1000)
        results["segments"][label] = {
            "count": found,
            "median_ms": round(statistics.median(timings), 1),
            "min_ms": round(min(timings), 1),
            "max_ms": round(max(timings), 1),
        }
    first = next(iter(segments().values()))
    plan = matching(first.target, first.match, _conditions(first)).explain(analyze=True)
    results["plan_of_the_first"] = plan
    return results


def _conditions(segment: Any) -> Any:
    from kizuna.segments.selectors import conditions_of

    return conditions_of(segment)


def describe(result: dict[str, Any]) -> str:
    lines = [
        f"Segment count on {result['accounts']:,} accounts and {result['members']:,} members "
        f"(median of {result['runs']} runs after a warm-up, PostgreSQL jit {result['jit']}):",
        "",
        "| segment | matches | median ms | min ms | max ms |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for label, row in result["segments"].items():
        lines.append(
            f"| {label} | {row['count']:,} | {row['median_ms']} | {row['min_ms']} | {row['max_ms']} |"
        )
    return "\n".join(lines)


def main() -> None:
    options = parse_args()
    result = measure(options)
    print(describe(result))
    print()
    print(result["plan_of_the_first"])
    if options.json:
        options.json.write_text(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
