import factory

from kizuna.badges.models import Badge, BadgeAward, BadgeIcon, BadgeKind
from kizuna.identity.tests.factories import MemberFactory


class BadgeFactory(factory.django.DjangoModelFactory[Badge]):
    class Meta:
        model = Badge

    slug = factory.Sequence(lambda n: f"badge-{n}")
    name_ja = factory.Sequence(lambda n: f"バッジ{n}")
    name_en = factory.Sequence(lambda n: f"Badge {n}")
    description_ja = "説明"
    description_en = "Description"
    icon = BadgeIcon.STAR
    kind = BadgeKind.STAFF_AWARDED
    criterion = ""


class BadgeAwardFactory(factory.django.DjangoModelFactory[BadgeAward]):
    class Meta:
        model = BadgeAward

    badge = factory.SubFactory(BadgeFactory)
    member = factory.SubFactory(MemberFactory)
