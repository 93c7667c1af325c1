from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kizuna.demo.community import load_demo_community
from kizuna.demo.contests import load_demo_contests
from kizuna.demo.recognition import load_demo_recognition


class Command(BaseCommand):
    help = "Load the demo community (a Japanese SaaS vendor and its customers); safe to run twice."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.IS_PRODUCTION:
            raise CommandError("Refusing to load demo data under KIZUNA_PROFILE=prod.")
        summary = load_demo_community(seed=options["seed"])
        # Its own step, so that a demo loaded before recognition existed gets it on the next start.
        recognition = load_demo_recognition(seed=options["seed"])
        if recognition is not None:
            self.stdout.write(
                f"recognition loaded in {recognition.seconds:.1f} s: "
                f"{recognition.ledger_entries} ledger entries, {recognition.rewards} rewards, "
                f"{recognition.redemptions} redemptions, {recognition.badge_awards} badges awarded"
            )
        contests = load_demo_contests()
        if contests is not None:
            self.stdout.write(
                f"contests loaded: {contests.contests} contests, {contests.entries} entries, "
                f"{contests.votes} votes"
            )
        if summary is None:
            self.stdout.write("demo already loaded")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"demo loaded in {summary.seconds:.1f} s: {summary.accounts} customer accounts, "
                f"{summary.members} members, {summary.spaces} spaces, "
                f"{summary.memberships} memberships, {summary.join_requests} join requests, "
                f"{summary.invitations} invitations"
            )
        )
