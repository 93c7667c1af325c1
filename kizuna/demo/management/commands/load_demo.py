import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kizuna.demo.community import load_demo_community
from kizuna.demo.contests import load_demo_contests
from kizuna.demo.recognition import load_demo_recognition
from kizuna.demo.threads import Volume

ALREADY_LOADED = "demo already loaded"


class Command(BaseCommand):
    help = "Load the demo community (a Japanese SaaS vendor and its customers); safe to run twice."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
        parser.add_argument(
            "--volume",
            choices=[v.value for v in Volume],
            default=Volume.FULL.value,
            help="a year of forum activity (full, the default) or a few threads (small)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.IS_PRODUCTION:
            raise CommandError("Refusing to load demo data under KIZUNA_PROFILE=prod.")
        started = time.monotonic()
        community = load_demo_community(seed=options["seed"], volume=Volume(options["volume"]))
        # Its own step, so that a demo loaded before recognition existed gets it on the next start.
        recognition = load_demo_recognition(seed=options["seed"])
        contests = load_demo_contests()
        loaded = []
        if community is not None:
            loaded.append(
                f"{community.members} members of {community.accounts} customer accounts, "
                f"{community.spaces} spaces, {community.threads} threads with "
                f"{community.answers} answers"
            )
        if recognition is not None:
            loaded.append(
                f"recognition ({recognition.ledger_entries} ledger entries, "
                f"{recognition.rewards} rewards, {recognition.badge_awards} badges)"
            )
        if contests is not None:
            loaded.append(f"{contests.contests} contests")
        if not loaded:
            self.stdout.write(ALREADY_LOADED)
            return
        what = "demo" if community is not None else "demo additions"
        self.stdout.write(
            f"{what} loaded in {time.monotonic() - started:.0f} s: " + "; ".join(loaded)
        )
