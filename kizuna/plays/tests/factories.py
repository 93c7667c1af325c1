import datetime as dt

import factory
from django.utils import timezone

from kizuna.activity.models import Activity, Verb
from kizuna.customers.models import Contact, CustomerAccount
from kizuna.events.models import Attendance, Registration
from kizuna.events.tests.factories import EventFactory, RegistrationFactory
from kizuna.identity.models import Member
from kizuna.plays.models import Play, PlayRule, PlayStatus


def rule(kind: str) -> PlayRule:
    """The default rule of this kind the data migration made."""
    return PlayRule.objects.get(kind=kind)


def only_rules(*kinds: str) -> None:
    """Switch off every default rule but these, so a test evaluates the rules it is about."""
    PlayRule.objects.exclude(kind__in=kinds).update(enabled=False)


def activity(
    member: Member | None,
    *,
    at: dt.datetime,
    verb: str = Verb.POSTED,
    account: CustomerAccount | None = None,
) -> Activity:
    """One activity in the stream at `at`, on the member's account unless told otherwise."""
    if account is None and member is not None:
        link = getattr(member, "account_link", None)
        account = link.account if link is not None else None
    return Activity.objects.create(
        actor=member,
        verb=verb,
        object_type="post",
        account_id=account.pk if account is not None else None,
        occurred_at=at,
    )


def attended(member: Member, *, at: dt.datetime, showed_up: bool = True) -> Registration:
    """A confirmed registration for an event that started at `at`, attended or a no-show."""
    event = EventFactory(starts_at=at, ends_at=at + dt.timedelta(hours=2))
    registration: Registration = RegistrationFactory(
        event=event,
        member=member,
        attendance=Attendance.ATTENDED if showed_up else Attendance.NO_SHOW,
    )
    return registration


def contact(account: CustomerAccount, *, member: Member | None = None) -> Contact:
    number = Contact.objects.count() + 1
    return Contact.objects.create(
        account=account, email=f"contact{number}-{account.pk}@crm.example.jp", member=member
    )


class PlayFactory(factory.django.DjangoModelFactory[Play]):
    class Meta:
        model = Play

    rule = factory.LazyFunction(lambda: PlayRule.objects.get(kind="no_ambassador"))
    account = factory.SubFactory("kizuna.customers.tests.factories.CustomerAccountFactory")
    status = PlayStatus.OPEN
    params = factory.LazyFunction(lambda: {"tier": "high"})
    owner = factory.LazyAttribute(lambda play: play.account.csm_owner)
    opened_at = factory.LazyFunction(timezone.now)
