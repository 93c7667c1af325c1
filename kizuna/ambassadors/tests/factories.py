import factory

from kizuna.ambassadors.models import Ambassador
from kizuna.identity.tests.factories import MemberFactory


class AmbassadorFactory(factory.django.DjangoModelFactory[Ambassador]):
    class Meta:
        model = Ambassador

    member = factory.SubFactory(MemberFactory)
    status = Ambassador.Status.ACTIVE
