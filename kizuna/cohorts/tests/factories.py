import datetime

import factory

from kizuna.cohorts.models import Programme, ProgrammeStatus, Session
from kizuna.identity.tests.factories import StaffFactory
from kizuna.spaces.tests.factories import SpaceFactory


class ProgrammeFactory(factory.django.DjangoModelFactory[Programme]):
    """A running programme in an open space, run by a CSM."""

    class Meta:
        model = Programme

    title = factory.Sequence(lambda n: f"学びのコミュニティ第{n}期")
    description = "6社で半年間、毎月プ譜を更新します。"
    space = factory.SubFactory(SpaceFactory)
    owner = factory.SubFactory(StaffFactory, staff_role="csm")
    status = ProgrammeStatus.RUNNING


class SessionFactory(factory.django.DjangoModelFactory[Session]):
    class Meta:
        model = Session

    programme = factory.SubFactory(ProgrammeFactory)
    number = factory.Sequence(lambda n: n + 1)
    date = factory.LazyAttribute(lambda session: datetime.date(2026, session.number, 10))
    title = factory.LazyAttribute(lambda session: f"第{session.number}回")
