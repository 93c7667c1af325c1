import time
from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from kizuna.search.indexing import index_pending, reindex_all


class Command(BaseCommand):
    help = "Rebuild the search index from every post (safe to run at any time)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--pending",
            action="store_true",
            help="Only the posts whose indexing failed or has not run yet (what the sweep does).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        if options["pending"]:
            indexed, failed = index_pending(older_than=timedelta(0), limit=None)
            summary = f"Indexed {indexed} posts ({failed} failed)"
        else:
            summary = f"Indexed {reindex_all()} posts"
        elapsed = time.monotonic() - started
        self.stdout.write(f"{summary} in {elapsed:.1f} s.")
