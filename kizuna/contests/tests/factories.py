from datetime import timedelta

import factory
from django.utils import timezone

from kizuna.content.markdown import render_markdown
from kizuna.contests.models import Contest, ContestKind, Entry, Judging


class ContestFactory(factory.django.DjangoModelFactory[Contest]):
    """An open, published, staff-judged general contest unless told otherwise."""

    class Meta:
        model = Contest

    title = factory.Sequence(lambda n: f"ベストプラクティス大賞{n}")
    description = "あなたの**活用事例**を教えてください。"
    description_html = factory.LazyAttribute(lambda contest: render_markdown(contest.description))
    kind = ContestKind.GENERAL
    judging = Judging.STAFF
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=6))
    winner_count = 1
    points_per_winner = 100
    published_at = factory.LazyFunction(timezone.now)


class EntryFactory(factory.django.DjangoModelFactory[Entry]):
    class Meta:
        model = Entry

    contest = factory.SubFactory(ContestFactory)
    member = factory.SubFactory("kizuna.identity.tests.factories.MemberFactory")
    statement = "毎月の締め作業が半日で終わるようになりました。"


def close(contest: Contest) -> Contest:
    """Move the time box into the past, as if the contest had run its course."""
    now = timezone.now()
    contest.opens_at = now - timedelta(days=7)
    contest.closes_at = now - timedelta(minutes=1)
    contest.save(update_fields=["opens_at", "closes_at"])
    return contest
