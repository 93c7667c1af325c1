"""Moderation 0002 moves why content is held out of content's JSON note into Hold rows, and
back again when it is unapplied."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from kizuna.identity.tests.factories import MemberFactory, StaffFactory
from kizuna.spaces.tests.factories import SpaceFactory

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("moderation", "0001_initial"), ("content", "0001_initial")]
AFTER = [("moderation", "0002_hold"), ("content", "0002_remove_moderation_note")]


@pytest.fixture
def executor() -> Iterator[MigrationExecutor]:
    executor = MigrationExecutor(connection)
    yield executor
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def _migrate(executor: MigrationExecutor, targets: list[tuple[str, str]]) -> Any:
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_notes_become_holds_and_come_back(executor: MigrationExecutor) -> None:
    space, author, staff = SpaceFactory(), MemberFactory(), StaffFactory()
    old = _migrate(executor, BEFORE)
    post_model = old.get_model("content", "Post")
    fields = {"space_id": space.pk, "author_id": author.pk, "body": "本文"}
    by_flags = post_model.objects.create(
        **fields,
        title="flags",
        status="held",
        moderation_note={
            "reasons": ["Flagged as Spam by 3 member(s)"],
            "source": "flags",
            "resubmitted_at": "2026-01-02T03:04:05+00:00",
        },
    )
    no_note = post_model.objects.create(**fields, title="no note", status="held")
    hidden = post_model.objects.create(**fields, title="hidden", status="hidden")
    old.get_model("moderation", "ReviewItem").objects.create(
        space_id=space.pk,
        post_id=hidden.pk,
        source="flag",
        status="resolved",
        action="hide",
        resolution_reason="Off topic",
        resolved_by_id=staff.pk,
        resolved_at="2026-01-03T00:00:00+00:00",
    )

    new = _migrate(executor, AFTER)
    holds = new.get_model("moderation", "Hold").objects
    flag_hold = holds.get(post_id=by_flags.pk)
    assert (flag_hold.source, flag_hold.reasons) == ("flags", ["Flagged as Spam by 3 member(s)"])
    assert flag_hold.resubmitted_at.isoformat() == "2026-01-02T03:04:05+00:00"
    assert (holds.get(post_id=no_note.pk).source, holds.get(post_id=no_note.pk).reasons) == (
        "rules",
        [],
    )
    assert not holds.filter(post_id=hidden.pk).exists()

    notes = dict(
        _migrate(executor, BEFORE)
        .get_model("content", "Post")
        .objects.values_list("pk", "moderation_note")
    )
    assert notes[by_flags.pk] == {
        "reasons": ["Flagged as Spam by 3 member(s)"],
        "source": "flags",
        "resubmitted_at": "2026-01-02T03:04:05+00:00",
    }
    assert notes[no_note.pk] == {"reasons": [], "source": "rules"}
    assert notes[hidden.pk] == {
        "decision": {
            "action": "hide",
            "reason": "Off topic",
            "by": staff.pk,
            "at": "2026-01-03T00:00:00+00:00",
        }
    }
