import factory

from kizuna.content.tests.factories import TagFactory
from kizuna.customers.models import Plan
from kizuna.success.models import PlanCapabilityTag


class PlanFactory(factory.django.DjangoModelFactory[Plan]):
    class Meta:
        model = Plan
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"プラン{n}")
    rank = factory.Sequence(lambda n: n)


class PlanCapabilityTagFactory(factory.django.DjangoModelFactory[PlanCapabilityTag]):
    class Meta:
        model = PlanCapabilityTag

    plan = factory.SubFactory(PlanFactory)
    tag = factory.SubFactory(TagFactory)
