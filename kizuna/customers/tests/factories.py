import factory

from kizuna.customers.models import (
    AccountDomain,
    Contact,
    CustomerAccount,
    CustomField,
    MemberAccountLink,
    Plan,
)
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import MemberFactory


class CustomerAccountFactory(factory.django.DjangoModelFactory[CustomerAccount]):
    class Meta:
        model = CustomerAccount

    name = factory.Sequence(lambda n: f"株式会社サンプル{n}")
    status = CustomerAccount.Status.ACTIVE


class AccountDomainFactory(factory.django.DjangoModelFactory[AccountDomain]):
    class Meta:
        model = AccountDomain

    account = factory.SubFactory(CustomerAccountFactory)
    domain = factory.Sequence(lambda n: f"customer{n}.co.jp")


class PlanFactory(factory.django.DjangoModelFactory[Plan]):
    class Meta:
        model = Plan

    name = factory.Sequence(lambda n: f"プラン{n}")
    rank = factory.Sequence(lambda n: n + 1)


class ContactFactory(factory.django.DjangoModelFactory[Contact]):
    class Meta:
        model = Contact

    account = factory.SubFactory(CustomerAccountFactory)
    email = factory.Sequence(lambda n: f"contact{n}@customer.co.jp")
    full_name = factory.Sequence(lambda n: f"担当者{n}")


class CustomFieldFactory(factory.django.DjangoModelFactory[CustomField]):
    class Meta:
        model = CustomField

    key = factory.Sequence(lambda n: f"field_{n}")
    label = factory.Sequence(lambda n: f"項目{n}")
    kind = CustomField.Kind.TEXT
    position = factory.Sequence(lambda n: n + 1)


def make_customer(account: CustomerAccount | None = None, **member_fields: object) -> Member:
    """A member linked to an active account (by domain, as most customers are)."""
    account = account or CustomerAccountFactory()
    member = MemberFactory(**member_fields)
    MemberAccountLink.objects.create(
        member=member, account=account, source=MemberAccountLink.Source.EMAIL_DOMAIN
    )
    return member
