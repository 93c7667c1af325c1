import factory

from kizuna.customers.models import AccountDomain, CustomerAccount, MemberAccountLink
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


def make_customer(account: CustomerAccount | None = None, **member_fields: object) -> Member:
    """A member linked to an active account (by domain, as most customers are)."""
    account = account or CustomerAccountFactory()
    member = MemberFactory(**member_fields)
    MemberAccountLink.objects.create(
        member=member, account=account, source=MemberAccountLink.Source.EMAIL_DOMAIN
    )
    return member
