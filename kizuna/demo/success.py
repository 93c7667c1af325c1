"""The demo's customer economics: plans, ARR spread as a vendor's really is (a few large
accounts, many small), renewals across the year, CSM owners, touch tiers, CRM contacts and
custom fields — written through `kizuna.customers.economics`, as the CRM import writes them.

Called once from the community load, inside its transaction, after the accounts and their
members exist and before the events (which give the plays their attendance to look at).
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import F
from django.utils import timezone

from kizuna.ambassadors.services import add_ambassador
from kizuna.content.models import Tag
from kizuna.customers.economics import apply_account_values
from kizuna.customers.models import (
    AccountChange,
    Contact,
    CustomerAccount,
    CustomField,
    LifecycleStage,
    MemberAccountLink,
    Plan,
    TouchTier,
)
from kizuna.customers.tiers import current_tier_settings
from kizuna.demo import data
from kizuna.identity.models import Member
from kizuna.plays.models import Play, PlayStatus
from kizuna.plays.services import evaluate_plays, mark_play_done, snooze_play
from kizuna.segments.services import clean_segment, create_segment
from kizuna.success.services import add_capability_tag


@dataclass(frozen=True)
class DemoPlan:
    name: str
    rank: int
    description: str
    # ARR range in yen, and how many of the 42 accounts are on the plan.
    arr_from: int
    arr_to: int
    accounts: int


PLANS = (
    DemoPlan("スターター", 1, "経費精算のみ・50名まで", 300_000, 1_100_000, 15),
    DemoPlan("スタンダード", 2, "経費精算＋ワークフロー", 1_200_000, 4_800_000, 15),
    DemoPlan("プロフェッショナル", 3, "請求書発行・会計連携を含む", 5_000_000, 9_600_000, 8),
    DemoPlan("エンタープライズ", 4, "SSO・監査ログ・専任CSM", 12_000_000, 48_000_000, 4),
)
# The customer login's company is a mid-sized account the vendor treats as strategic.
STRATEGIC_COMPANIES = frozenset({data.COMPANIES[0].name, "株式会社あさひ電機"})
CONTRACT_TYPES = ["年間契約", "複数年契約", "月額契約"]
CRM_ONLY_CONTACTS = (
    ("経理部長", "keiri.bucho"),
    ("情報システム部", "jousys"),
    ("総務部 課長", "soumu.kacho"),
)


def _plan_for_each_company(rng: random.Random) -> list[DemoPlan]:
    plans = [plan for plan in PLANS for _ in range(plan.accounts)]
    rng.shuffle(plans)
    # The customer login's company is on Professional, so its pages show a mid-sized account.
    professional = next(i for i, plan in enumerate(plans) if plan.name == "プロフェッショナル")
    plans[0], plans[professional] = plans[professional], plans[0]
    return plans


def _next_anniversary(start: date, today: date) -> date:
    renewal = start.replace(year=today.year)
    while renewal <= today:
        renewal = renewal.replace(year=renewal.year + 1)
    return renewal


def _lifecycle(
    account: CustomerAccount, start: date, renewal: date, today: date, rng: random.Random
) -> str:
    if account.status == CustomerAccount.Status.CHURNED:
        return LifecycleStage.CHURNED
    if (today - start).days < 150:
        return LifecycleStage.ONBOARDING
    if (renewal - today).days <= 90:
        return LifecycleStage.RENEWAL
    return rng.choice(
        [LifecycleStage.ADOPTION] * 5 + [LifecycleStage.EXPANSION] * 2 + [LifecycleStage.AT_RISK]
    )


def load_demo_economics(*, seed: int, now: datetime, admin: Member, csms: list[Member]) -> None:
    """`csms[0]` looks after the mid-sized and small accounts, `csms[1]` the enterprise ones."""
    rng = random.Random(seed + 12)
    today = now.date()
    plans = {
        plan.name: Plan.objects.create(name=plan.name, rank=plan.rank, description=plan.description)
        for plan in PLANS
    }
    fields = {
        "contract_type": CustomField.objects.create(
            key="contract_type",
            label="契約形態",
            kind=CustomField.Kind.CHOICE,
            choices=CONTRACT_TYPES,
            position=1,
        ),
        "licences": CustomField.objects.create(
            key="licences",
            label="契約ライセンス数",
            kind=CustomField.Kind.NUMBER,
            position=2,
        ),
        "next_qbr": CustomField.objects.create(
            key="next_qbr",
            label="次回定例会（QBR）",
            kind=CustomField.Kind.DATE,
            position=3,
        ),
    }
    current_tier_settings()
    by_name = {account.name: account for account in CustomerAccount.objects.all()}
    for company, demo_plan in zip(data.COMPANIES, _plan_for_each_company(rng), strict=True):
        account = by_name[company.name]
        start = account.created_at.date()
        renewal = _next_anniversary(start, today)
        arr = rng.randrange(demo_plan.arr_from, demo_plan.arr_to, 60_000)
        high = demo_plan.rank == 4
        values = {
            "plan": plans[demo_plan.name],
            "currency": "JPY",
            "arr_minor": arr,
            "mrr_minor": arr // 12,
            "contract_start": start,
            "renewal_date": renewal,
            "lifecycle_stage": _lifecycle(account, start, renewal, today, rng),
            "csm_owner": csms[1] if high else csms[0],
            "industry": company.industry,
            "region": company.region,
            "employee_band": ["1-49", "50-299", "300-999", "1000-4999", "5000+"][
                min(demo_plan.rank + rng.choice((-1, 0, 0, 1)), 4)
            ],
            "salesforce_id": f"001DEMO{account.pk:011d}",
            "is_strategic": company.name in STRATEGIC_COMPANIES,
            "custom:contract_type": CONTRACT_TYPES[2]
            if demo_plan.rank == 1 and rng.random() < 0.5
            else rng.choice(CONTRACT_TYPES[:2]),
            "custom:licences": arr // 6_000 // 10 * 10 or 10,
            "custom:next_qbr": today + timedelta(days=rng.randint(7, 80)) if high else None,
        }
        apply_account_values(
            account, values, actor=admin, source=AccountChange.Source.IMPORT, custom_fields=fields
        )
        # The CRM's figures came in when the account was signed.
        AccountChange.objects.filter(account=account).update(changed_at=account.created_at)
    _contacts(rng)
    _an_upsell(by_name[data.COMPANIES[0].name], csms[0], now)


def _contacts(rng: random.Random) -> None:
    """Each member is a CRM contact of their account; the CRM also knows a few people who have
    not joined the community (the tech-touch play looks for accounts where nobody has)."""
    links = MemberAccountLink.objects.select_related("member", "account").order_by("pk")
    contacts = [
        Contact(
            account=link.account,
            email=link.member.email,
            full_name=link.member.display_name,
            title=link.member.job_role,
            member=link.member,
        )
        for link in links
    ]
    for account in CustomerAccount.objects.prefetch_related("domains").order_by("pk"):
        domain = account.domains.all()[0].domain
        for title, local in rng.sample(CRM_ONLY_CONTACTS, rng.randint(1, 3)):
            contacts.append(Contact(account=account, email=f"{local}@{domain}", title=title))
    Contact.objects.bulk_create(contacts, ignore_conflicts=True)
    # The first contact the CRM had for each account is its main contact.
    for account_id in CustomerAccount.objects.values_list("pk", flat=True):
        first = Contact.objects.filter(account_id=account_id).order_by("pk").first()
        if first is not None:
            Contact.objects.filter(pk=first.pk).update(is_primary=True)


def _an_upsell(account: CustomerAccount, csm: Member, now: datetime) -> None:
    """The customer login's company added the invoicing option six weeks ago: its history shows
    who raised ARR, from what, and when."""
    account.refresh_from_db()
    new_arr = (account.arr_minor or 0) + 1_440_000
    apply_account_values(
        account,
        {
            "arr_minor": new_arr,
            "mrr_minor": new_arr // 12,
            "lifecycle_stage": LifecycleStage.EXPANSION,
        },
        actor=csm,
        source=AccountChange.Source.FORM,
    )
    AccountChange.objects.filter(account=account, changed_by=csm).update(
        changed_at=now - timedelta(days=41)
    )


def load_demo_success_work(*, now: datetime, admin: Member, csms: list[Member]) -> None:
    """After the events: a few ambassadors, two saved segments, and the plays the rules find,
    some of them already worked by the CSMs."""
    _ambassadors(admin)
    _capability_tags(admin)
    _segments(csms[0])
    evaluate_plays(now=now)
    _work_some_plays(csms, now)


def _ambassadors(admin: Member) -> None:
    """The busiest customer at a few high-touch accounts joined the ambassador programme, so the
    high-touch play finds only the accounts that still have nobody in it."""
    high_touch = (
        CustomerAccount.objects.filter(
            touch_tier=TouchTier.HIGH,
            status=CustomerAccount.Status.ACTIVE,
            member_links__member__staff_role="",
        )
        .distinct()
        .order_by("pk")
    )
    for account in high_touch[:3]:
        busiest = (
            Member.objects.filter(account_link__account=account, is_active=True, staff_role="")
            .order_by(F("points_balance__lifetime_points").desc(nulls_last=True), "pk")
            .first()
        )
        if busiest is not None:
            add_ambassador(actor=admin, member=busiest, note="ユーザー会での登壇と回答の多さから")


# What each plan adds over the one below it, as the forum's tags name it.
CAPABILITY_TAGS = {
    "スタンダード": ("ワークフロー承認", "予算管理"),
    "プロフェッショナル": ("請求書発行", "入金消込", "API連携"),
    "エンタープライズ": ("SSO・アカウント管理", "Webhook"),
}


def _capability_tags(admin: Member) -> None:
    """Questions and likes on these tags from accounts on a smaller plan are expansion signals."""
    known = set(Tag.objects.values_list("name", flat=True))
    for plan in Plan.objects.filter(name__in=CAPABILITY_TAGS):
        for tag_name in CAPABILITY_TAGS[plan.name]:
            if tag_name in known:
                add_capability_tag(actor=admin, plan=plan, tag_name=tag_name)


def _segments(csm: Member) -> None:
    for name, description, target, conditions in (
        (
            "90日以内に更新を迎えるハイタッチ・ロータッチ顧客",
            "更新前の定例会とユーザー会招待の対象。毎週月曜に確認する。",
            "accounts",
            [
                {"field": "account.renewal", "op": "within_next", "value": 90},
                {"field": "account.touch_tier", "op": "in", "value": ["high", "low"]},
            ],
        ),
        (
            "関西のお客様でまだイベントに来ていない方",
            "大阪ユーザー会の案内を送る相手。",
            "members",
            [
                {"field": "member.kind", "op": "in", "value": ["customer"]},
                {"field": "account.region", "op": "equals", "value": "関西"},
                {
                    "field": "member.events_attended",
                    "op": "lte",
                    "value": {"count": 0, "days": 365},
                },
            ],
        ),
    ):
        values = clean_segment(
            csm,
            name=name,
            description=description,
            target=target,
            match="all",
            conditions=conditions,
        )
        create_segment(csm, values)


def _work_some_plays(csms: list[Member], now: datetime) -> None:
    """Each CSM has marked one play done and snoozed another until after their next meeting."""
    for csm in csms:
        plays = list(Play.objects.filter(owner=csm, status=PlayStatus.OPEN).order_by("pk")[:2])
        if plays:
            mark_play_done(actor=csm, play=plays[0])
        if len(plays) > 1:
            snooze_play(actor=csm, play=plays[1], until=timezone.localdate() + timedelta(days=14))
