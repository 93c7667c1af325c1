import time
from typing import Any

from django.core.management.base import BaseCommand

from kizuna.search.indexing import reindex_all


class Command(BaseCommand):
    help = "Rebuild the search index from every post (safe to run at any time)."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        indexed = reindex_all()
        elapsed = time.monotonic() - started
        self.stdout.write(f"Indexed {indexed} posts in {elapsed:.1f} s.")
