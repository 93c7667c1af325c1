from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from kizuna.badges.tasks import evaluate_all_badges, evaluate_badges


class Command(BaseCommand):
    help = "Award the automatic badges members have earned (safe to run at any time)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--member", type=int, help="Evaluate only this member id.")

    def handle(self, *args: Any, **options: Any) -> None:
        member_id = options["member"]
        awarded = evaluate_badges(member_id) if member_id else evaluate_all_badges()
        self.stdout.write(f"Awarded {awarded} badges.")
