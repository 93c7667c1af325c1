import pytest

from kizuna.contests.models import Contest, ContestState, Winner
from kizuna.contests.selectors import get_spotlight
from kizuna.demo.community import load_demo_community
from kizuna.demo.contests import FINISHED_TITLE, OPEN_TITLE, load_demo_contests
from kizuna.gamification.models import LedgerEntry

pytestmark = pytest.mark.django_db


def test_nothing_is_loaded_without_the_demo_community() -> None:
    assert load_demo_contests() is None
    assert not Contest.objects.exists()


def test_the_demo_has_a_finished_contest_in_the_spotlight_and_an_open_one_once() -> None:
    load_demo_community(seed=7)
    summary = load_demo_contests()
    assert summary is not None
    finished = Contest.objects.get(title=FINISHED_TITLE)
    assert finished.state == ContestState.ANNOUNCED
    assert Winner.objects.filter(contest=finished).count() == 2
    spotlight = get_spotlight()
    assert spotlight is not None
    assert spotlight[0] == finished
    opened = Contest.objects.get(title=OPEN_TITLE)
    assert opened.state == ContestState.OPEN
    assert opened.entries.count() == 4
    assert opened.votes.count() == summary.votes > 0

    prizes = LedgerEntry.objects.filter(source_type="contests.contest").count()
    assert load_demo_contests() is None
    assert Contest.objects.count() == 2
    assert LedgerEntry.objects.filter(source_type="contests.contest").count() == prizes == 2
