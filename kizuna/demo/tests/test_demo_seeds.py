"""The same seed gives the same demo: each load here starts from an empty database.

These tests load the demo themselves, so they live apart from the modules that read the
demo loaded once for them (the `demo` fixture).
"""

from datetime import UTC, datetime
from typing import NamedTuple

import pytest
from django.db import transaction
from pytest_django import DjangoDbBlocker

from kizuna.content.models import Post
from kizuna.demo.community import load_demo_community
from kizuna.identity.models import Member

pytestmark = pytest.mark.django_db

# Every load is dated up to the same moment, so a load either side of midnight plans the same days.
ONE_MOMENT = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


class _RollBackError(Exception):
    pass


class Generated(NamedTuple):
    emails: list[str]
    threads: list[tuple[str, str, list[str], str]]


class Loads(NamedTuple):
    first: Generated
    same_seed: Generated
    other_seed: Generated


def generated_from(seed: int) -> Generated:
    """Load the demo with this seed, read who is in it and who wrote what, and leave the
    database as it was."""
    generated = Generated([], [])
    try:
        with transaction.atomic():
            load_demo_community(seed=seed, now=ONE_MOMENT)
            generated.emails.extend(sorted(Member.objects.values_list("email", flat=True)))
            for post in Post.objects.order_by("title").prefetch_related("answers__author"):
                generated.threads.append(
                    (
                        post.title,
                        post.author.email,
                        [a.author.email for a in post.answers.all()],
                        str(post.reaction_count),
                    )
                )
            raise _RollBackError
    except _RollBackError:
        pass
    return generated


@pytest.fixture(scope="module")
def loads(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Loads:
    """Three loads shared by the tests below: seed 11 twice, then seed 12."""
    with django_db_blocker.unblock():
        return Loads(generated_from(11), generated_from(11), generated_from(12))


def test_same_seed_gives_the_same_members(loads: Loads) -> None:
    assert len(loads.first.emails) >= 300
    assert loads.same_seed.emails == loads.first.emails
    assert loads.other_seed.emails != loads.first.emails


def test_the_same_seed_writes_the_same_threads(loads: Loads) -> None:
    assert loads.first.threads
    assert loads.same_seed.threads == loads.first.threads
