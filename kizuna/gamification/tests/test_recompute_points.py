from io import StringIO

import pytest
from django.core.management import call_command

from kizuna.activity.models import Verb
from kizuna.activity.services import record_activity
from kizuna.content.models import ContentStatus
from kizuna.content.tests.factories import AnswerFactory
from kizuna.gamification.models import EntryKind, LedgerEntry, PointRule
from kizuna.gamification.selectors import get_balance
from kizuna.gamification.services import award_for_activity
from kizuna.gamification.tests.helpers import assert_balances_match_ledger

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def run(*args: str) -> str:
    out = StringIO()
    call_command("recompute_points", *args, stdout=out)
    return out.getvalue()


def test_nothing_to_change_when_the_ledger_matches_the_rules() -> None:
    answer = AnswerFactory()
    award_for_activity(
        activity_id=record_activity(actor=answer.author, verb=Verb.ANSWERED, target=answer).pk
    )
    assert run() == "0 member(s) changed.\n"


def test_dry_run_reports_a_rule_change_and_writes_nothing() -> None:
    answer = AnswerFactory()
    award_for_activity(
        activity_id=record_activity(actor=answer.author, verb=Verb.ANSWERED, target=answer).pk
    )
    PointRule.objects.filter(key="answered").update(points=8)
    entries = LedgerEntry.objects.count()
    report = run("--dry-run")
    assert report == f"member {answer.author.pk}: 5 -> 8 (+3)\n1 member(s) would change.\n"
    assert LedgerEntry.objects.count() == entries


def test_recompute_applies_differences_once() -> None:
    kept, removed = AnswerFactory(), AnswerFactory()
    for answer in (kept, removed):
        award_for_activity(
            activity_id=record_activity(actor=answer.author, verb=Verb.ANSWERED, target=answer).pk
        )
    PointRule.objects.filter(key="answered").update(points=8)
    # Content removed without the sweep having run yet: recompute takes its points back too.
    removed.status = ContentStatus.DELETED
    removed.save()
    first = run()
    assert f"member {kept.author.pk}: 5 -> 8 (+3)" in first
    assert f"member {removed.author.pk}: 5 -> 0 (-5)" in first
    assert run() == "0 member(s) changed.\n"
    assert run("--dry-run") == "0 member(s) would change.\n"
    assert get_balance(kept.author) == 8
    assert get_balance(removed.author) == 0
    assert LedgerEntry.objects.filter(kind=EntryKind.ADJUSTMENT).count() == 2
    assert_balances_match_ledger()
