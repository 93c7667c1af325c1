from datetime import timedelta

import factory
from django.utils import timezone

from kizuna.content.markdown import render_markdown
from kizuna.events.models import (
    Event,
    EventFormat,
    EventStatus,
    Registration,
    RegistrationStatus,
    SeatKind,
)


class EventFactory(factory.django.DjangoModelFactory[Event]):
    """A published online event in an open space a week from now, 50 seats, unless told otherwise."""

    class Meta:
        model = Event

    space = factory.SubFactory("kizuna.spaces.tests.factories.SpaceFactory")
    title = factory.Sequence(lambda n: f"活用事例ライトニングトーク{n}")
    description = "**5分**で事例を共有しましょう。"
    description_html = factory.LazyAttribute(lambda event: render_markdown(event.description))
    format = EventFormat.ONLINE
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda event: event.starts_at + timedelta(hours=2))
    online_capacity = 50
    in_person_capacity = 0
    online_url = "https://meet.example.com/kizuna-lt"
    status = EventStatus.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)


class RegistrationFactory(factory.django.DjangoModelFactory[Registration]):
    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    member = factory.SubFactory("kizuna.identity.tests.factories.MemberFactory")
    seat = SeatKind.ONLINE
    status = RegistrationStatus.CONFIRMED
    queued_at = factory.LazyFunction(timezone.now)
    confirmed_at = factory.LazyFunction(timezone.now)
