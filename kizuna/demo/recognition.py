"""Recognition in the demo community: points, levels, a rewards catalogue, redemptions, badges.

Everything goes through the recognition services, so the ledger, the balances, the stock and
the audit log stay as consistent as in a community that earned them one action at a time:
the forum's activity is paid by the same sweep that pays a live site, redemptions are
redeemed, approved, fulfilled and rejected by the rewards services, and badges are
evaluated and awarded by the badges services. Call it after the community and its forum.
"""

import io
import random
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Sum
from PIL import Image, ImageDraw, ImageFont

from kizuna.badges.models import Badge, BadgeAward
from kizuna.badges.services import award_badge, evaluate_badges_for
from kizuna.content.models import Post, PostType
from kizuna.customers.models import CustomerAccount, MemberAccountLink
from kizuna.demo import data
from kizuna.demo.community import is_demo_loaded
from kizuna.gamification.models import LedgerEntry
from kizuna.gamification.selectors import get_balance, get_lifetime_points
from kizuna.gamification.services import (
    SWEEP_BATCH,
    adjust_points,
    award_pending_activities,
    award_points,
)
from kizuna.identity.models import Member
from kizuna.identity.services import profile_completion
from kizuna.notifications.models import EmailChannel, NotificationPreference
from kizuna.notifications.selectors import RECOGNITION_KINDS
from kizuna.rewards.models import Redemption, RedemptionStatus, Reward, RewardKind
from kizuna.rewards.services import (
    approve_redemption,
    create_reward,
    fulfil_redemption,
    redeem_reward,
    reject_redemption,
)

MIGRATION_REASON = "移行前コミュニティでの貢献"
# Debian's fonts-noto-cjk, which the PDF reports need as well; without it the initial is Latin-only.
AVATAR_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc")
AVATAR_COLOURS = ("#2f5d8a", "#3f7d5c", "#8a4f7d", "#b86b2e", "#4a6fa5", "#6b7f3a", "#9c4a4a")
PHOTO_SHARE = 0.4
CHAMPION_BADGE = "community-champion"


@dataclass(frozen=True)
class DemoReward:
    key: str
    name: str
    description: str
    kind: str
    cost_points: int
    stock: int | None
    per_member_limit: int | None
    requires_approval: bool = False


REWARDS: tuple[DemoReward, ...] = (
    DemoReward(
        key="coffee",
        name="コーヒーチケット（500円分）",
        description=(
            "全国のコンビニやカフェで使えるデジタルコーヒーチケットです。"
            "ご登録のメールアドレスに URL をお送りします。"
        ),
        kind=RewardKind.COFFEE_VOUCHER,
        cost_points=100,
        stock=200,
        per_member_limit=5,
    ),
    DemoReward(
        key="mug",
        name="クラウド経費ナビ オリジナルマグカップ",
        description="ロゴ入りの保温マグカップです。ご登録の住所へ宅配便でお届けします。",
        kind=RewardKind.SWAG,
        cost_points=300,
        stock=30,
        per_member_limit=1,
    ),
    DemoReward(
        key="seat",
        name="ユーザーカンファレンス「経費ナビ DAY 2026」プレミアムシート",
        description=(
            "基調講演を前方の優先席でご覧いただけるほか、登壇者との懇親会にご招待します。"
            "座席に限りがあるため、運営チームの確認後に確定します。"
        ),
        kind=RewardKind.PREMIUM_EVENT_SEAT,
        cost_points=500,
        stock=20,
        per_member_limit=1,
        requires_approval=True,
    ),
    DemoReward(
        key="hoodie",
        name="ユーザー会限定パーカー",
        description="ユーザー会メンバーだけの限定デザインです。サイズは発送前にメールでお伺いします。",
        kind=RewardKind.SWAG,
        cost_points=800,
        stock=15,
        per_member_limit=1,
    ),
    DemoReward(
        key="credit",
        name="ご利用料金 1か月分のサービスクレジット（1万円分）",
        description=(
            "ご所属企業の次回のご請求から1万円を差し引きます。ご契約中の企業にご所属の方が対象で、"
            "契約内容を確認してから適用します。"
        ),
        kind=RewardKind.SERVICE_CREDIT,
        cost_points=1500,
        stock=None,
        per_member_limit=1,
        requires_approval=True,
    ),
)

# How many members each level gets beyond what the forum gave them (see _spread_over_levels).
PLATINUM_MEMBERS = 3
GOLD_MEMBERS = 12
SILVER_MEMBERS = 55
# The customer demo login is Gold, two thirds of the way to Platinum, with points left to spend.
CUSTOMER_LOGIN_POINTS = 1180


@dataclass(frozen=True)
class PlannedRedemption:
    reward: str
    status: str
    text: str = ""


FULFILLED_COFFEE = PlannedRedemption(
    "coffee", RedemptionStatus.FULFILLED, "ご登録のメールアドレスにチケットをお送りしました。"
)
FULFILLED_MUG = PlannedRedemption(
    "mug", RedemptionStatus.FULFILLED, "ご登録の住所に宅配便で発送しました。"
)
# Who redeems what, in order; a member is drawn for each row among those who can afford it.
REDEMPTIONS: tuple[PlannedRedemption, ...] = (
    FULFILLED_COFFEE,
    FULFILLED_COFFEE,
    FULFILLED_COFFEE,
    FULFILLED_COFFEE,
    FULFILLED_MUG,
    FULFILLED_MUG,
    PlannedRedemption(
        "seat",
        RedemptionStatus.FULFILLED,
        "座席を確定しました。当日は受付でお名前をお伝えください。",
    ),
    PlannedRedemption("mug", RedemptionStatus.APPROVED),
    PlannedRedemption("hoodie", RedemptionStatus.APPROVED),
    PlannedRedemption("seat", RedemptionStatus.APPROVED),
    PlannedRedemption("seat", RedemptionStatus.REQUESTED),
    PlannedRedemption("seat", RedemptionStatus.REQUESTED),
    PlannedRedemption("credit", RedemptionStatus.REQUESTED),
    PlannedRedemption(
        "seat",
        RedemptionStatus.REJECTED,
        "当日ご参加できなくなったとご本人からご連絡をいただいたため、お申し込みを取り消しました。"
        "ポイントはお戻ししています。",
    ),
)
# The customer login's own history shows a finished redemption and one waiting for staff.
CUSTOMER_LOGIN_REDEMPTIONS: tuple[PlannedRedemption, ...] = (
    FULFILLED_COFFEE,
    PlannedRedemption("seat", RedemptionStatus.REQUESTED),
)
CHURNED_CREDIT_REJECTION = (
    "ご所属企業のご契約が終了しているため、サービスクレジットはご利用いただけません。"
    "ポイントはお戻ししました。"
)
CHAMPION_REASONS = (
    "ユーザー会で多くの質問に丁寧に回答し、ほかの会員の課題解決を支えてくださったため。",
    "紙の請求書をゼロにした取り組みを事例として公開し、多くの会員の参考になったため。",
)


@dataclass(frozen=True)
class RecognitionSummary:
    ledger_entries: int
    rewards: int
    redemptions: int
    badge_awards: int
    seconds: float


def is_recognition_loaded() -> bool:
    """The first reward of the demo catalogue marks a database that already holds it."""
    return Reward.objects.filter(name=REWARDS[0].name).exists()


class _Builder:
    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.admin = Member.objects.get(email=data.STAFF[0].email)
        self.community_manager = Member.objects.get(staff_role="community_manager")
        self.customer_login = Member.objects.get(email=data.CUSTOMER_LOGIN.email)
        self.non_customer_login = Member.objects.get(email=data.NON_CUSTOMER_LOGIN.email)
        self.members = list(Member.objects.filter(is_active=True).order_by("pk"))
        self.customers = [
            m for m in self.members if not m.staff_role and m.pk != self.non_customer_login.pk
        ]
        self.rewards: dict[str, Reward] = {}

    def _rng(self, step: str) -> random.Random:
        """A generator per step, so a step replayed on its own draws the same members again."""
        return random.Random(f"demo-recognition:{self.seed}:{step}")

    # Mail ---------------------------------------------------------------------------------

    def mute_demo_mail(self) -> None:
        """Demo addresses must never receive mail, yet every award below makes a notice.

        The notices stay in the bell; their emails are turned off for the demo's own members
        (they all share the one demo password hash), so none is ever queued, whichever worker
        would send it. Anyone who signed up on the demo site keeps their own choice.
        """
        demo_members = [m for m in self.members if m.password == self.admin.password]
        NotificationPreference.objects.bulk_create(
            [
                NotificationPreference(member=member, kind=kind, email=EmailChannel.OFF)
                for member in demo_members
                for kind in RECOGNITION_KINDS
            ],
            update_conflicts=True,
            unique_fields=["member", "kind"],
            update_fields=["email"],
        )

    # Profiles -------------------------------------------------------------------------------

    def give_photos(self) -> None:
        """Staff and two in five members have put up a photo, which completes their profile.

        The photo is an initial on a coloured square, drawn here so the demo needs no files.
        """
        font: ImageFont.FreeTypeFont | ImageFont.ImageFont
        if AVATAR_FONT.exists():
            font = ImageFont.truetype(str(AVATAR_FONT), 120)
        else:
            font = ImageFont.load_default(size=120)
        rng = self._rng("photos")
        for member in self.members:
            # Both draws happen for everyone, so a replay skipping those with a photo stays in step.
            drawn, colour = rng.random(), rng.choice(AVATAR_COLOURS)
            if member.photo or not (member.staff_role or drawn < PHOTO_SHARE):
                continue
            image = Image.new("RGB", (256, 256), colour)
            initial = (member.display_name or member.email)[0]
            ImageDraw.Draw(image).text((128, 128), initial, fill="white", font=font, anchor="mm")
            buffer = io.BytesIO()
            image.save(buffer, format="JPEG", quality=85)
            member.photo.save(f"demo-{member.pk}.jpg", ContentFile(buffer.getvalue()), save=False)
            member.save(update_fields=["photo"])

    # Points ---------------------------------------------------------------------------------

    def pay_activity(self) -> None:
        """Pay the forum's activity with the sweep a live site runs, up to the newest activity.

        The forum writes its activity in bulk, so no award task was queued for it. The sweep
        normally leaves the last two minutes alone in case an older transaction is still open;
        here the demo's own transaction wrote everything, so nothing can be left behind.
        """
        while award_pending_activities(settle=timedelta(0)) == SWEEP_BATCH:
            pass

    def pay_sign_ups(self) -> None:
        """Sign-up and completed-profile points, dated when each member joined.

        The keys are the ones award_signed_up and award_profile_completed use, so those
        services never pay a demo member a second time.
        """
        for member in self.members:
            award_points(
                member=member,
                rule_key="signed_up",
                source=member,
                idempotency_key=f"signed_up:{member.pk}",
                occurred_at=member.date_joined,
            )
            if profile_completion(member)["percent"] == 100:
                award_points(
                    member=member,
                    rule_key="profile_completed",
                    source=member,
                    idempotency_key=f"profile_completed:{member.pk}",
                    occurred_at=member.date_joined + timedelta(days=1),
                )

    def ranking(self) -> list[Member]:
        """Customers by points earned from activity, most first."""
        earned = dict(
            LedgerEntry.objects.filter(activity_id__isnull=False)
            .values("member_id")
            .annotate(total=Sum("amount"))
            .values_list("member_id", "total")
        )
        return sorted(self.customers, key=lambda m: (-int(earned.get(m.pk) or 0), m.pk))

    def spread_over_levels(self, ranking: list[Member], churned_member: Member | None) -> None:
        """Lift members to Silver, Gold and Platinum with audited migration adjustments.

        The forum's threads alone would leave most members Bronze. The story the demo tells
        is that the vendor moved its user group over from an earlier forum and carried each
        member's standing across: staff adjustments with an honest reason, which count
        towards lifetime points like everything else, so the level, the profile and the
        all-time leaderboard agree; this month's board still shows only what was earned here.
        """
        rng = self._rng("levels")
        targets: dict[int, int] = {}
        top = [m for m in ranking if m.pk != self.customer_login.pk]
        for member in top[:PLATINUM_MEMBERS]:
            targets[member.pk] = rng.randint(1520, 2600)
        gold_pool = top[PLATINUM_MEMBERS : PLATINUM_MEMBERS + GOLD_MEMBERS - 3]
        rest = top[PLATINUM_MEMBERS + len(gold_pool) :]
        gold_pool += rng.sample(rest, 3)
        for member in gold_pool:
            targets[member.pk] = rng.randint(520, 1450)
        rest = [m for m in rest if m.pk not in targets]
        silver_pool = rest[:25] + rng.sample(rest[25:], SILVER_MEMBERS - 25)
        for member in silver_pool:
            targets[member.pk] = rng.randint(110, 480)
        if churned_member is not None:
            targets[churned_member.pk] = rng.randint(1600, 1900)
        targets[self.customer_login.pk] = CUSTOMER_LOGIN_POINTS
        by_pk = {m.pk: m for m in self.members}
        for member_pk, target in sorted(targets.items()):
            member = by_pk[member_pk]
            missing = target - get_lifetime_points(member)
            if missing > 0:
                adjust_points(
                    actor=self.admin,
                    member=member,
                    amount=missing,
                    idempotency_key=f"demo:migration:{member.pk}",
                    reason=MIGRATION_REASON,
                )

    # Rewards --------------------------------------------------------------------------------

    def create_catalogue(self) -> None:
        for spec in REWARDS:
            self.rewards[spec.key] = create_reward(
                actor=self.community_manager,
                name=spec.name,
                description=spec.description,
                kind=spec.kind,
                cost_points=spec.cost_points,
                stock=spec.stock,
                per_member_limit=spec.per_member_limit,
                requires_approval=spec.requires_approval,
                is_active=True,
            )

    def _redeem(self, member: Member, plan: PlannedRedemption) -> Redemption:
        reward = self.rewards[plan.reward]
        count = Redemption.objects.filter(member=member, reward=reward).count()
        redemption = redeem_reward(
            member=member,
            reward=reward,
            idempotency_key=f"demo:{plan.reward}:{member.pk}:{count}",
        )
        staff = self.community_manager
        if plan.status == RedemptionStatus.REJECTED:
            return reject_redemption(actor=staff, redemption=redemption, reason=plan.text)
        if redemption.status == RedemptionStatus.REQUESTED and plan.status in (
            RedemptionStatus.APPROVED,
            RedemptionStatus.FULFILLED,
        ):
            redemption = approve_redemption(actor=staff, redemption=redemption)
        if plan.status == RedemptionStatus.FULFILLED:
            redemption = fulfil_redemption(actor=staff, redemption=redemption, note=plan.text)
        return redemption

    def _can_redeem(self, member: Member, reward: Reward) -> bool:
        held = Redemption.objects.filter(member=member, reward=reward).count()
        limit = reward.per_member_limit
        return get_balance(member) >= reward.cost_points and (limit is None or held < limit)

    def redeem(self, churned_member: Member | None) -> None:
        for plan in CUSTOMER_LOGIN_REDEMPTIONS:
            self._redeem(self.customer_login, plan)
        # The churned member's only redemption is the refused credit below.
        others = [
            m for m in self.customers if m.pk != self.customer_login.pk and m != churned_member
        ]
        rng = self._rng("redemptions")
        for plan in REDEMPTIONS:
            reward = self.rewards[plan.reward]
            # Drawn in a random order and checked one by one: most members cannot afford much.
            member = next(
                (m for m in rng.sample(others, len(others)) if self._can_redeem(m, reward)),
                None,
            )
            if member is not None:
                self._redeem(member, plan)
        if churned_member is not None:
            redemption = self._redeem(churned_member, PlannedRedemption("credit", "requested"))
            reject_redemption(
                actor=self.community_manager, redemption=redemption, reason=CHURNED_CREDIT_REJECTION
            )

    # Badges ---------------------------------------------------------------------------------

    def award_badges(self, ranking: list[Member]) -> None:
        for member in self.members:
            evaluate_badges_for(member=member)
        champion = Badge.objects.filter(slug=CHAMPION_BADGE, is_active=True).first()
        if champion is None:
            return
        case_study = (
            Post.objects.filter(post_type=PostType.CASE_STUDY, public_use_consent=True)
            .select_related("author")
            .order_by("created_at")
            .first()
        )
        champions = [ranking[0]]
        if case_study is not None and case_study.author not in champions:
            champions.append(case_study.author)
        for member, reason in zip(champions, CHAMPION_REASONS, strict=False):
            award_badge(actor=self.community_manager, badge=champion, member=member, reason=reason)

    def churned_member(self) -> Member | None:
        """A long-standing contributor whose company has since left: their credit is refused."""
        churned = set(
            MemberAccountLink.objects.filter(
                account__status=CustomerAccount.Status.CHURNED
            ).values_list("member_id", flat=True)
        )
        candidates = [m for m in self.customers if m.pk in churned]
        return self._rng("churned").choice(candidates) if candidates else None


def load_demo_recognition(*, seed: int = 2026) -> RecognitionSummary | None:
    """Give the demo community its points, rewards and badges in one transaction.

    None if the demo community is missing or its recognition is already there, so it is
    safe to call on every start.
    """
    started = time.monotonic()
    with transaction.atomic():
        if not is_demo_loaded() or is_recognition_loaded():
            return None
        entries_before = LedgerEntry.objects.count()
        awards_before = BadgeAward.objects.count()
        builder = _Builder(seed)
        builder.mute_demo_mail()
        builder.give_photos()
        builder.pay_activity()
        builder.pay_sign_ups()
        ranking = builder.ranking()
        churned_member = builder.churned_member()
        builder.spread_over_levels(ranking, churned_member)
        builder.create_catalogue()
        builder.redeem(churned_member)
        builder.award_badges(ranking)
        return RecognitionSummary(
            ledger_entries=LedgerEntry.objects.count() - entries_before,
            rewards=len(builder.rewards),
            redemptions=Redemption.objects.count(),
            badge_awards=BadgeAward.objects.count() - awards_before,
            seconds=time.monotonic() - started,
        )
