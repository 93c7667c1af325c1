"""A small world built by hand, whose answers to every condition are written in the tests.

Accounts (touch tiers stored as the tier service would leave them):
- Alpha: high touch, adoption, plan Pro, CSM Chika, 製造業 / 関東, 300–999 employees, renews in
  30 days, ARR ¥15,000,000, strategic; custom fields 年間 contract, 120 seats, kick-off 10 days ago.
- Beta: low touch, renewal, plan Basic, CSM Daichi, 小売業 / 関西, 50–299, renews in 200 days,
  ARR ¥3,000,000; 20 seats, note 重要顧客.
- Gamma: churned (status and stage), tech touch, no plan, no CSM, 製造 / no region, no ARR.

Members (all active but the last):
- alice (Alpha): 600 points (Gold), joined 10 days ago, posted 3 times and answered once in the last
  5 days, in space One, attended 2 events in the last 30 days and one 60 days ago, challenge
  Security, in learning programme P1.
- bob (Beta): 150 points (Silver), joined 100 days ago, answered once 60 days ago (nothing since),
  in space Two, attended one event 10 days ago, challenge Onboarding.
- carol (Gamma, churned): no points, joined 400 days ago, nothing else.
- dave (no account): 100 points (Silver, exactly the threshold), joined 2 days ago, posted today,
  in spaces One and Two, challenges Security and Onboarding, registered for an event but did
  not come.
- staff (community manager, no account): active yesterday.
- gone (Alpha, deactivated): everything alice has; never in any segment.
The two CSMs and the programmes' owners are deactivated, so they are in no members segment.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from kizuna.activity.models import Activity, Verb
from kizuna.cohorts.models import Participant, Programme
from kizuna.cohorts.tests.factories import ProgrammeFactory
from kizuna.customers.models import (
    CustomerAccount,
    CustomField,
    CustomFieldValue,
    LifecycleStage,
    MemberAccountLink,
    Plan,
)
from kizuna.customers.tests.factories import CustomerAccountFactory
from kizuna.events.models import Attendance
from kizuna.events.tests.factories import EventFactory, RegistrationFactory
from kizuna.gamification.models import MemberBalance
from kizuna.identity.models import Interest, Member
from kizuna.identity.tests.factories import MemberFactory, StaffFactory
from kizuna.spaces.models import Space
from kizuna.spaces.tests.factories import MembershipFactory, SpaceFactory


@dataclass
class World:
    alpha: CustomerAccount
    beta: CustomerAccount
    gamma: CustomerAccount
    pro: Plan
    basic: Plan
    csm1: Member
    csm2: Member
    alice: Member
    bob: Member
    carol: Member
    dave: Member
    staff: Member
    gone: Member
    one: Space
    two: Space
    security: Interest
    onboarding: Interest
    p1: Programme
    p2: Programme

    def names(self, members: object) -> set[str]:
        by_pk = {
            m.pk: name
            for name, m in {
                "alice": self.alice,
                "bob": self.bob,
                "carol": self.carol,
                "dave": self.dave,
                "staff": self.staff,
                "gone": self.gone,
                "csm1": self.csm1,
                "csm2": self.csm2,
            }.items()
        }
        return {by_pk.get(m.pk, f"other-{m.pk}") for m in members}

    def account_names(self, accounts: object) -> set[str]:
        by_pk = {self.alpha.pk: "alpha", self.beta.pk: "beta", self.gamma.pk: "gamma"}
        return {by_pk[a.pk] for a in accounts}


def _ago(days: float) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


def _points(member: Member, points: int) -> None:
    MemberBalance.objects.create(member=member, balance=points, lifetime_points=points)


def _attended(member: Member, days_ago: float, attendance: str = Attendance.ATTENDED) -> None:
    starts = _ago(days_ago)
    event = EventFactory(starts_at=starts, ends_at=starts + dt.timedelta(hours=2))
    RegistrationFactory(event=event, member=member, attendance=attendance)


def _did(member: Member, verb: str, days_ago: float) -> None:
    Activity.objects.create(actor=member, verb=verb, object_type="post", occurred_at=_ago(days_ago))


def _link(member: Member, account: CustomerAccount) -> None:
    MemberAccountLink.objects.create(
        member=member, account=account, source=MemberAccountLink.Source.STAFF
    )


def build_world() -> World:
    today = timezone.localdate()
    pro, basic = Plan.objects.create(name="Pro", rank=2), Plan.objects.create(name="Basic", rank=1)
    csm1 = StaffFactory(staff_role="csm", display_name="Chika CSM")
    csm2 = StaffFactory(staff_role="csm", display_name="Daichi CSM")
    alpha = CustomerAccountFactory(
        name="Alpha",
        touch_tier="high",
        lifecycle_stage=LifecycleStage.ADOPTION,
        plan=pro,
        csm_owner=csm1,
        industry="製造業",
        region="関東",
        employee_band="300-999",
        renewal_date=today + dt.timedelta(days=30),
        arr_minor=15_000_000,
        is_strategic=True,
    )
    beta = CustomerAccountFactory(
        name="Beta",
        touch_tier="low",
        lifecycle_stage=LifecycleStage.RENEWAL,
        plan=basic,
        csm_owner=csm2,
        industry="小売業",
        region="関西",
        employee_band="50-299",
        renewal_date=today + dt.timedelta(days=200),
        arr_minor=3_000_000,
    )
    gamma = CustomerAccountFactory(
        name="Gamma",
        status=CustomerAccount.Status.CHURNED,
        touch_tier="tech",
        lifecycle_stage=LifecycleStage.CHURNED,
        industry="製造",
    )
    contract = CustomField.objects.create(
        key="contract_type", label="契約形態", kind="choice", choices=["年間", "月額"]
    )
    seats = CustomField.objects.create(key="seats", label="席数", kind="number")
    kickoff = CustomField.objects.create(key="kickoff", label="キックオフ日", kind="date")
    note = CustomField.objects.create(key="note", label="メモ", kind="text")
    CustomFieldValue.objects.create(account=alpha, field=contract, text_value="年間")
    CustomFieldValue.objects.create(account=alpha, field=seats, number_value=Decimal(120))
    CustomFieldValue.objects.create(
        account=alpha, field=kickoff, date_value=today - dt.timedelta(days=10)
    )
    CustomFieldValue.objects.create(account=beta, field=seats, number_value=Decimal(20))
    CustomFieldValue.objects.create(account=beta, field=note, text_value="重要顧客")

    one, two = SpaceFactory(name="One"), SpaceFactory(name="Two")
    security = Interest.objects.create(name="Security")
    onboarding = Interest.objects.create(name="Onboarding")
    p1, p2 = ProgrammeFactory(title="P1"), ProgrammeFactory(title="P2")

    def alice_like(**fields: object) -> Member:
        member = MemberFactory(date_joined=_ago(10), **fields)
        _link(member, alpha)
        _points(member, 600)
        for _ in range(3):
            _did(member, Verb.POSTED, 5)
        _did(member, Verb.ANSWERED, 4)
        MembershipFactory(space=one, member=member)
        _attended(member, 5)
        _attended(member, 20)
        _attended(member, 60)
        member.interests.add(security)
        Participant.objects.create(programme=p1, member=member, account=alpha)
        return member

    alice = alice_like(display_name="alice")
    gone = alice_like(display_name="gone", is_active=False)

    bob = MemberFactory(display_name="bob", date_joined=_ago(100))
    _link(bob, beta)
    _points(bob, 150)
    _did(bob, Verb.ANSWERED, 60)
    MembershipFactory(space=two, member=bob)
    _attended(bob, 10)
    bob.interests.add(onboarding)

    carol = MemberFactory(display_name="carol", date_joined=_ago(400))
    _link(carol, gamma)

    dave = MemberFactory(display_name="dave", date_joined=_ago(2))
    _points(dave, 100)
    _did(dave, Verb.POSTED, 0)
    MembershipFactory(space=one, member=dave)
    MembershipFactory(space=two, member=dave)
    dave.interests.add(security, onboarding)
    _attended(dave, 3, attendance=Attendance.NO_SHOW)

    staff = StaffFactory(
        staff_role="community_manager", display_name="staff", date_joined=_ago(800)
    )
    _did(staff, Verb.VIEWED, 1)
    # The CSMs and the programmes' owners are members too; deactivated, they stay out of
    # every members segment, so the answers below name only the six people above.
    Member.objects.filter(pk__in=[csm1.pk, csm2.pk, p1.owner_id, p2.owner_id]).update(
        is_active=False
    )
    return World(
        alpha=alpha,
        beta=beta,
        gamma=gamma,
        pro=pro,
        basic=basic,
        csm1=csm1,
        csm2=csm2,
        alice=alice,
        bob=bob,
        carol=carol,
        dave=dave,
        staff=staff,
        gone=gone,
        one=one,
        two=two,
        security=security,
        onboarding=onboarding,
        p1=p1,
        p2=p2,
    )
