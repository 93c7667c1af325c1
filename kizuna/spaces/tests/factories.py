from datetime import timedelta

import factory
from django.utils import timezone

from kizuna.identity.tests.factories import MemberFactory
from kizuna.spaces.models import AccessType, Invitation, JoinRequest, Membership, Space, SpaceRole


class SpaceFactory(factory.django.DjangoModelFactory[Space]):
    class Meta:
        model = Space

    name = factory.Sequence(lambda n: f"スペース{n}")
    slug = factory.Sequence(lambda n: f"space-{n}")
    description = "Secret description of the space"
    purpose = "Public purpose of the space"
    rules = "Be kind and stay on topic"
    access_type = AccessType.OPEN


class MembershipFactory(factory.django.DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    space = factory.SubFactory(SpaceFactory)
    member = factory.SubFactory(MemberFactory)
    role = SpaceRole.MEMBER
    via = Membership.Via.JOINED


class InvitationFactory(factory.django.DjangoModelFactory[Invitation]):
    class Meta:
        model = Invitation

    space = factory.SubFactory(SpaceFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    token = factory.Sequence(lambda n: f"token-{n}-abcdefghijklmnop")
    invited_by = factory.SubFactory(MemberFactory)
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))


class JoinRequestFactory(factory.django.DjangoModelFactory[JoinRequest]):
    class Meta:
        model = JoinRequest

    space = factory.SubFactory(SpaceFactory, access_type=AccessType.APPLICATION)
    applicant = factory.SubFactory(MemberFactory)
    answers = factory.LazyFunction(list)
