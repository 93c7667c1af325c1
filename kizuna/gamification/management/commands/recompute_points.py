"""Rebuild activity points under the current rules: `manage.py recompute_points [--dry-run]`."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from kizuna.gamification.services import recompute_points


class Command(BaseCommand):
    help = "Recompute every member's activity points under the current rules."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Report the differences; write nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = bool(options["dry_run"])
        differences = recompute_points(dry_run=dry_run)
        for item in differences:
            self.stdout.write(
                f"member {item.member_id}: {item.current} -> {item.expected} ({item.difference:+d})"
            )
        verb = "would change" if dry_run else "changed"
        self.stdout.write(f"{len(differences)} member(s) {verb}.")
