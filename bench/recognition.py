"""Recompute throughput: replay an activity stream under the current points rules.

    python bench/recognition.py                     # builds kizuna_bench_recompute if missing
    python bench/recognition.py --regenerate --members 10000 --posts 100000 --activities 300000

Runs `recompute_points` (the code behind `manage.py recompute_points`) three times on a
database of its own (2,000 members, 50,000 activities by default; `--activities` for
more), so that `make bench` stays short: a dry
run, a real run that writes one adjustment per member whose points differ, and a second
real run that must change nothing. Adjustments left by an earlier benchmark run are removed
first (and the balances re-derived from the ledger), so every run starts from the
generated books. `bench/run.py` calls it in a separate process because Django binds to
one database per process.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

import psycopg

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import generate  # noqa: E402

DATABASE_SUFFIX = "_recompute"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    generate.add_size_arguments(parser)
    parser.set_defaults(
        members=2_000,
        posts=20_000,
        activities=50_000,
        ledger_entries=20_000,
        database_name=f"{generate.DEFAULT_DATABASE_NAME}{DATABASE_SUFFIX}",
    )
    parser.add_argument("--regenerate", action="store_true", help="rebuild the database first")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    return parser.parse_args(argv)


def restore_generated_books(url: str) -> int:
    """Remove the adjustments of an earlier run and re-derive the balances they moved."""
    from kizuna.gamification.services import RECOMPUTE_KEY_PREFIX

    with psycopg.connect(url) as conn:
        members = [
            row[0]
            for row in conn.execute(
                "DELETE FROM gamification_ledgerentry WHERE idempotency_key LIKE %s"
                " RETURNING member_id",
                (f"{RECOMPUTE_KEY_PREFIX}%",),
            ).fetchall()
        ]
        conn.execute(
            """
            UPDATE gamification_memberbalance b
            SET balance = coalesce(e.total, 0), lifetime_points = coalesce(e.earned, 0)
            FROM gamification_memberbalance m
            LEFT JOIN (
              SELECT member_id, sum(amount) AS total,
                     sum(amount) FILTER (WHERE kind IN ('award', 'reversal', 'adjustment'))
                       AS earned
              FROM gamification_ledgerentry GROUP BY member_id
            ) e ON e.member_id = m.member_id
            WHERE b.id = m.id AND b.member_id = ANY(%s)
            """,
            (members,),
        )
        conn.commit()
    return len(set(members))


def measure(options: argparse.Namespace) -> dict[str, Any]:
    url = generate.bench_database_url(options.database_url, options.database_name)
    if options.regenerate or not generate.database_exists(url):
        generate.generate(options)
    else:
        generate.setup_django(url)
        generate.ensure_recognition(options)
    restored = restore_generated_books(url)

    from kizuna.activity.models import Activity
    from kizuna.gamification.models import LedgerEntry
    from kizuna.gamification.rules import EARNING_VERBS
    from kizuna.gamification.services import recompute_points

    activities = Activity.objects.count()
    replayed = Activity.objects.filter(verb__in=EARNING_VERBS).count()
    runs: dict[str, dict[str, float | int]] = {}
    for name, dry_run in (("dry_run", True), ("real", False), ("second_real", False)):
        print(f"  recompute_points({'dry run' if dry_run else 'real'}) …", flush=True)
        started = time.monotonic()
        differences = recompute_points(dry_run=dry_run)
        seconds = time.monotonic() - started
        runs[name] = {
            "seconds": round(seconds, 1),
            "members_changed": len(differences),
            "activities_per_second": round(activities / seconds),
            "replayed_per_second": round(replayed / seconds),
        }
    return {
        "database": options.database_name,
        "activities": activities,
        "replayed_activities": replayed,
        "ledger_entries": LedgerEntry.objects.count(),
        "members": options.members,
        "restored_members": restored,
        "runs": runs,
    }


def describe(result: dict[str, Any]) -> str:
    runs = result["runs"]
    lines = [
        f"recompute_points over {result['activities']:,} activities "
        f"({result['replayed_activities']:,} with an earning verb, replayed in batches), "
        f"{result['ledger_entries']:,} ledger entries:",
        "",
        "| run | seconds | members changed | activities/s | replayed activities/s |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    labels = {"dry_run": "dry run", "real": "real", "second_real": "real, again"}
    for name, label in labels.items():
        run = runs[name]
        lines.append(
            f"| {label} | {run['seconds']} | {run['members_changed']:,} | "
            f"{run['activities_per_second']:,} | {run['replayed_per_second']:,} |"
        )
    return "\n".join(lines)


def main() -> None:
    options = parse_args()
    result = measure(options)
    print(describe(result))
    if options.json:
        options.json.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
