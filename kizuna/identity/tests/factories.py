from typing import Any

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from kizuna.identity.models import Member


class MemberFactory(factory.django.DjangoModelFactory[Member]):
    class Meta:
        model = Member
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"member{n}@example.org")
    display_name = factory.Sequence(lambda n: f"メンバー{n}")
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def verified(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


def give_totp(member: Member) -> Authenticator:
    """Set up TOTP for a member, as staff must before opening staff pages."""

    return TOTP.activate(member, generate_totp_secret()).instance


class StaffFactory(MemberFactory):
    staff_role = "administrator"
    email = factory.Sequence(lambda n: f"staff{n}@vendor.example.jp")

    @factory.post_generation
    def with_mfa(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted is not False:
            give_totp(self)
