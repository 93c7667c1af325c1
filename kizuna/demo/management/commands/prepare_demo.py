from datetime import timedelta
from io import StringIO
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from kizuna.demo.community import is_demo_loaded
from kizuna.demo.management.commands.load_demo import ALREADY_LOADED
from kizuna.search.indexing import index_pending


class Command(BaseCommand):
    help = (
        "What `make run` does before serving, in one process: migrate, load the demo the first "
        "time, index what was left unindexed, print the URL and the logins."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        if not is_demo_loaded():
            self.stdout.write(
                "初回のみ、デモコミュニティを作成します（1分ほどかかります）…\n"
                "First start: loading the demo community (about a minute)…"
            )
        loaded = StringIO()
        call_command("load_demo", stdout=loaded)
        if loaded.getvalue().strip() != ALREADY_LOADED:
            self.stdout.write(loaded.getvalue().rstrip())
        # The embedded default runs no Celery beat: each start catches up on posts left unindexed.
        index_pending(older_than=timedelta(0), limit=None)
        call_command("demo_logins", port=options["port"], stdout=self.stdout)
