"""The demo's events: a year of user-group meetings and four coming up, run through the events
services the way a community manager runs them.

The services accept registrations only before an event ends and answers to its survey only
while the survey is open, so each past event is held "now" (registered, checked in, surveyed)
and then moved to its real date with every row it wrote, as the forum backdates its posts.
The activity is written with `replaying_history`: nobody is notified of a year-old event, and
no attendance points are paid for the demo's history (the recognition demo pays the forum's).
Called once from the community load, inside its transaction.
"""

import random
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import F
from django.utils import timezone

from kizuna.activity.dispatch import replaying_history
from kizuna.activity.models import Activity
from kizuna.demo import data
from kizuna.demo.threads import Volume
from kizuna.events import services, surveys
from kizuna.events.access import get_event_access
from kizuna.events.followup_models import SurveyResponse
from kizuna.events.materials import add_material
from kizuna.events.models import (
    Attendance,
    Event,
    EventFormat,
    MaterialKind,
    Registration,
    SeatKind,
    SpeakerKind,
)
from kizuna.events.recognition import RECOGNISED_VERBS, recognise_activity
from kizuna.events.services import EventDetails, SpeakerDetails
from kizuna.identity.models import Member
from kizuna.identity.roles import StaffRole
from kizuna.spaces.models import Membership, Space, SpaceRole

TOKYO = ZoneInfo("Asia/Tokyo")
VENUE = "ミライソフト本社 セミナールーム（東京・大手町）"
VENUE_ADDRESS = "東京都千代田区大手町1-2-3 大手町ミライビル 12F"
MAP_URL = "https://maps.example.jp/?q=大手町ミライビル"
ONLINE_URL = "https://meet.example.jp/kizuna-user-group"
EXTERNAL_EXPERT = SpeakerDetails(
    kind=SpeakerKind.EXTERNAL,
    name="藤井 誠",
    job_title="公認会計士・税理士",
    company="藤井会計事務所",
)
AGENDA = (
    "\n\n**当日の流れ**\n\n"
    "1. 開会・趣旨説明（ファシリテーター）\n"
    "2. 登壇・発表\n"
    "3. グループディスカッション・質疑応答\n"
    "4. クロージング（終了後にアンケートをお送りします）"
)
TALK_TITLES = (
    "申請の差し戻しを半分にした3つの工夫",
    "承認者リマインドの自動化で締めが2日早まった話",
    "紙の領収書ゼロへの道のり",
    "全社展開で情シスと経理が分担したこと",
    "経費規程の改定を現場に伝えたやり方",
    "交通費精算のICカード連携を入れてみて",
)
SURVEY_COMMENTS = (
    "他社の運用ルールが具体的で、すぐに真似できそうです。",
    "グループワークの時間がもう少し長いとうれしいです。",
    "登壇資料を社内で共有させていただきます。",
    "同じ悩みを持つ方と話せて心強かったです。",
    "",
    "",
)


@dataclass(frozen=True)
class DemoEvent:
    title: str
    description: str
    format: str
    space: str
    # Days from now: negative for the past events.
    days: int
    hour: int
    minutes: int
    online_seats: int
    in_person_seats: int
    registrants: int
    with_expert: bool = False
    # More people want an in-person seat than there are, at any demo volume.
    oversubscribed: bool = False


EVENTS: tuple[DemoEvent, ...] = (
    DemoEvent(
        "ユーザー会 年次キックオフ：クラウド経費ナビのこれから",
        "プロダクト責任者がロードマップを紹介し、後半はテーブルごとに「今年こそ解決したい"
        "経費精算の悩み」を話し合います。初めての方も歓迎です。",
        EventFormat.HYBRID,
        "user-group",
        -350,
        18,
        120,
        40,
        20,
        36,
    ),
    DemoEvent(
        "LT大会：私の経費精算カイゼン5分間",
        "ユーザーの皆さんが5分ずつ、社内で試したカイゼンを発表します。うまくいかなかった話も大歓迎。",
        EventFormat.ONLINE,
        "user-group",
        -320,
        19,
        90,
        60,
        0,
        30,
    ),
    DemoEvent(
        "ワークショップ：承認フローを描き直す",
        "自社の承認フローを付箋で書き出し、承認が止まる箇所と自動化できる箇所を参加者同士で探します。",
        EventFormat.OFFLINE,
        "customers",
        -290,
        15,
        150,
        0,
        16,
        18,
    ),
    DemoEvent(
        "専門家に聞く：電子帳簿保存法と経費精算",
        "公認会計士の藤井誠さんをお招きし、電子帳簿保存法への対応で経理が迷いやすい点を解説いただきます。",
        EventFormat.ONLINE,
        "customers",
        -250,
        16,
        90,
        80,
        0,
        40,
        True,
    ),
    DemoEvent(
        "関西ユーザー分科会 勉強会：運用の工夫を持ち寄る",
        "大阪の会場で、関西のお客様同士で運用の工夫を持ち寄ります。終了後に懇親会があります。",
        EventFormat.OFFLINE,
        "customers-kansai",
        -220,
        18,
        120,
        0,
        20,
        14,
    ),
    DemoEvent(
        "ラウンドテーブル：インボイス制度対応その後",
        "インボイス制度の開始から一年。請求書の受け取りと経費精算の運用がどう変わったか、少人数で率直に話します。",
        EventFormat.HYBRID,
        "customers",
        -190,
        16,
        90,
        20,
        10,
        24,
    ),
    DemoEvent(
        "ハンズオン：APIで会計ソフトに仕訳を連携する",
        "サンプルコードを動かしながら、経費データをAPIで取り出して会計ソフトに仕訳として送る流れを体験します。",
        EventFormat.ONLINE,
        "developers",
        -160,
        19,
        120,
        50,
        0,
        22,
    ),
    DemoEvent(
        "LT大会：経理×情シスで進めた全社展開",
        "経理と情報システム部門が組んで全社展開を進めた事例を、5分ずつのライトニングトークで紹介します。",
        EventFormat.HYBRID,
        "user-group",
        -130,
        19,
        90,
        50,
        20,
        38,
    ),
    DemoEvent(
        "ワークショップ：経費規程をわかりやすく書き直す",
        "現場が迷う経費規程の条文を持ち寄り、グループで読みやすく書き直します。",
        EventFormat.ONLINE,
        "customers",
        -100,
        15,
        120,
        40,
        0,
        26,
    ),
    DemoEvent(
        "繁忙期の締めを乗り切る：月次決算を早める運用",
        "繁忙期を前に、月次決算を5営業日で締めている企業の運用を紹介します。",
        EventFormat.HYBRID,
        "customers",
        -70,
        16,
        90,
        40,
        15,
        34,
    ),
    DemoEvent(
        "ユーザー会 交流会：この一年を振り返る",
        "一年の活動を振り返り、今年の分科会のテーマを皆さんと決めます。",
        EventFormat.OFFLINE,
        "user-group",
        -40,
        18,
        120,
        0,
        30,
        28,
    ),
    DemoEvent(
        "ラウンドテーブル：経費データを経営に活かす",
        "経費データから部門ごとの傾向を読み、経営会議で使っている事例をもとに話し合います。",
        EventFormat.ONLINE,
        "customers",
        -14,
        16,
        60,
        30,
        0,
        20,
    ),
    DemoEvent(
        "LT大会：新機能「AI領収書読み取り」を使ってみた",
        "先行利用の皆さんが、AI領収書読み取りを使ってみた感想と社内展開の工夫を5分ずつ発表します。",
        EventFormat.HYBRID,
        "user-group",
        9,
        19,
        90,
        60,
        12,
        30,
    ),
    DemoEvent(
        "ワークショップ：出張精算のルールを見直す",
        "出張の多い企業の規程を比べながら、日当や宿泊費の上限をどう決めるかを議論します。",
        EventFormat.HYBRID,
        "customers",
        16,
        15,
        120,
        30,
        12,
        18,
    ),
    # The popular one: its in-person seats are gone and people wait for a seat.
    DemoEvent(
        "専門家に聞く：来年度の税制改正と経費精算",
        "公認会計士の藤井誠さんに、来年度の税制改正が経費精算の実務に与える影響を解説いただきます。",
        EventFormat.OFFLINE,
        "customers",
        23,
        16,
        90,
        0,
        12,
        16,
        True,
        True,
    ),
    DemoEvent(
        "はじめてのクラウド経費ナビ オンライン相談会",
        "導入を検討中の方、使い始めたばかりの方の質問に、ユーザー会のリーダーとミライソフトのスタッフが答えます。",
        EventFormat.ONLINE,
        "user-group",
        30,
        12,
        60,
        50,
        0,
        12,
    ),
)
# Past events whose materials the organisers shared afterwards.
MATERIALS = (
    ("当日の投影資料", MaterialKind.SLIDES),
    ("アーカイブ動画", MaterialKind.RECORDING),
)
# The demo customer attended these past events; she is registered for the first upcoming
# hybrid event in a space of hers.
CUSTOMER_ATTENDED = (0, 3, 7, 9)


class _Builder:
    def __init__(self, seed: int, now: datetime, volume: Volume) -> None:
        self.rng = random.Random(seed + 11)
        self.now = now
        # The tests load the small demo once per module: a few registrants per event suffice.
        self.share = 1.0 if volume == Volume.FULL else 0.25
        self.organiser = Member.objects.get(staff_role=StaffRole.COMMUNITY_MANAGER)
        self.customer = Member.objects.get(email=data.CUSTOMER_LOGIN.email)
        self.prospect = Member.objects.get(email=data.NON_CUSTOMER_LOGIN.email)
        self.spaces = {space.slug: space for space in Space.objects.all()}
        # Regulars come to most events: the repeat attendees of the KPI page.
        self.regulars: dict[str, list[Member]] = {}
        self.members: dict[int, list[Member]] = {}

    def members_of(self, space: Space) -> list[Member]:
        if space.pk not in self.members:
            self.members[space.pk] = [
                m
                for m in Member.objects.filter(
                    space_memberships__space=space, is_active=True, staff_role=""
                ).order_by("pk")
                if m.pk not in (self.customer.pk, self.prospect.pk)
            ]
        return self.members[space.pk]

    def leader_of(self, space: Space) -> Member | None:
        """A customer who hosts this space, else one who hosts a sub-group: the user group's
        host is staff, and its meetings are led with the sub-groups' leaders."""
        leaders = Member.objects.filter(
            space_memberships__role=SpaceRole.HOST, staff_role="", is_active=True
        ).order_by("pk")
        return leaders.filter(space_memberships__space=space).first() or leaders.first()

    def load(self) -> int:
        upcoming_hybrid_done = False
        for index, spec in enumerate(EVENTS):
            space = self.spaces.get(spec.space)
            if space is None:
                continue
            event = self.create(spec, space)
            people = self.audience(spec, space)
            customer_reads = Membership.objects.filter(space=space, member=self.customer).exists()
            if spec.days < 0:
                if index in CUSTOMER_ATTENDED and customer_reads:
                    people.insert(0, self.customer)
                self.hold_past(event, spec, people)
            else:
                wants_seat = (
                    spec.format == EventFormat.HYBRID
                    and customer_reads
                    and not upcoming_hybrid_done
                )
                if wants_seat:
                    people.insert(0, self.customer)
                    upcoming_hybrid_done = True
                if space.slug == "user-group" and index % 2 == 0:
                    people.insert(1, self.prospect)
                self.register(event, people)
                starts = self.starts_of(spec)
                Event.objects.filter(pk=event.pk).update(
                    starts_at=starts, ends_at=starts + timedelta(minutes=spec.minutes)
                )
        return len(EVENTS)

    def starts_of(self, spec: DemoEvent) -> datetime:
        day = (self.now + timedelta(days=spec.days)).astimezone(TOKYO)
        return day.replace(hour=spec.hour, minute=0, second=0, microsecond=0)

    def create(self, spec: DemoEvent, space: Space) -> Event:
        # Open for registration by the clock the services read, whatever `now` the demo is for.
        opens = timezone.now() + timedelta(hours=1)
        in_person = spec.format != EventFormat.ONLINE
        leader = self.leader_of(space)
        event = services.create_event(
            actor=self.organiser,
            space=space,
            details=EventDetails(
                title=spec.title,
                description=spec.description + AGENDA,
                format=spec.format,
                # Held "now" first (see the module's docstring); moved to its date afterwards.
                starts_at=opens,
                ends_at=opens + timedelta(minutes=spec.minutes),
                online_capacity=spec.online_seats,
                in_person_capacity=spec.in_person_seats,
                venue_name=VENUE if in_person else "",
                venue_address=VENUE_ADDRESS if in_person else "",
                map_url=MAP_URL if in_person else "",
                online_url=ONLINE_URL if spec.format != EventFormat.OFFLINE else "",
                facilitator=leader or self.organiser,
                registration_questions=(
                    {
                        "label": "この会で聞いてみたいこと・話したいことがあれば教えてください",
                        "required": False,
                    },
                ),
            ),
        )
        services.publish_event(actor=self.organiser, event=event)
        if spec.with_expert:
            talk = replace(EXTERNAL_EXPERT, talk_title=spec.title.split("：", 1)[-1])
            services.add_speaker(actor=self.organiser, event=event, details=talk)
        else:
            candidates = [m for m in self.members_of(space)[:40] if m != leader]
            speakers = self.rng.sample(candidates, min(2, len(candidates)))
            for member in speakers:
                services.add_speaker(
                    actor=self.organiser,
                    event=event,
                    details=SpeakerDetails(
                        kind=SpeakerKind.MEMBER,
                        member=member,
                        talk_title=self.rng.choice(TALK_TITLES),
                    ),
                )
            if leader is not None:
                services.add_speaker(
                    actor=self.organiser,
                    event=event,
                    details=SpeakerDetails(
                        kind=SpeakerKind.LEADER,
                        member=leader,
                        talk_title="分科会リーダーから：今期の活動紹介",
                    ),
                )
        return event

    def audience(self, spec: DemoEvent, space: Space) -> list[Member]:
        members = self.members_of(space)
        if not members:
            return []
        regulars = self.regulars.setdefault(space.slug, members[: max(3, len(members) // 6)])
        wanted = round(spec.registrants * self.share)
        if spec.oversubscribed:
            wanted = spec.in_person_seats + 4
        count = min(len(members), max(4, wanted))
        chosen = [m for m in regulars if self.rng.random() < 0.7]
        others = [m for m in members if m not in chosen]
        chosen += self.rng.sample(others, min(len(others), max(0, count - len(chosen))))
        return chosen[:count] if len(chosen) > count else chosen

    def register(self, event: Event, people: list[Member]) -> list[Registration]:
        registrations = []
        for position, member in enumerate(people):
            # A hybrid event's in-person seats go to about a third, and first to the customer.
            in_person = event.format == EventFormat.OFFLINE or (
                event.format == EventFormat.HYBRID
                and (member.pk == self.customer.pk or position % 3 == 0)
            )
            registrations.append(
                services.register(
                    member=member,
                    event=event,
                    seat=SeatKind.IN_PERSON if in_person else SeatKind.ONLINE,
                )
            )
        return registrations

    def hold_past(self, event: Event, spec: DemoEvent, people: list[Member]) -> None:
        registrations = [r for r in self.register(event, people) if r.is_confirmed]
        # Under way, so the survey is open while the attendees answer it.
        Event.objects.filter(pk=event.pk).update(
            starts_at=timezone.now() - timedelta(minutes=30),
            ends_at=timezone.now() - timedelta(minutes=30) + timedelta(minutes=spec.minutes),
        )
        event.refresh_from_db()
        access = get_event_access(self.organiser, event)
        rate = self.rng.uniform(0.6, 0.85)
        for registration in registrations:
            came = registration.member_id == self.customer.pk or self.rng.random() < rate
            services.mark_attendance(
                actor=self.organiser,
                event=event,
                registration_id=registration.pk,
                attendance=Attendance.ATTENDED if came else Attendance.NO_SHOW,
                checked_in=came,
                access=access,
            )
            if came and self.rng.random() < 0.6:
                surveys.submit_survey(
                    member=registration.member,
                    event=event,
                    answers=surveys.SurveyAnswers(
                        satisfaction=self.rng.choices((3, 4, 5), (1, 4, 4))[0],
                        recommend=self.rng.choices(range(5, 11), (1, 1, 2, 3, 3, 2))[0],
                        comment=self.rng.choice(SURVEY_COMMENTS),
                    ),
                )
        for title, kind in MATERIALS[: 1 + (spec.days < -60)]:
            add_material(
                actor=self.organiser,
                access=access,
                title=title,
                kind=kind,
                url=f"https://docs.example.jp/events/{event.pk}/{kind}",
            )
        self.backdate(event, spec)

    def backdate(self, event: Event, spec: DemoEvent) -> None:
        """Move the event and what it wrote to its real date, keeping their order."""
        shift = self.starts_of(spec) - event.starts_at
        # Registrations came in over the three weeks before the event.
        opened = timedelta(days=21)
        Event.objects.filter(pk=event.pk).update(
            starts_at=F("starts_at") + shift,
            ends_at=F("ends_at") + shift,
            created_at=F("created_at") + shift - opened,
            published_at=F("published_at") + shift - opened,
        )
        registrations = list(Registration.objects.filter(event=event).order_by("queued_at", "pk"))
        for position, registration in enumerate(registrations):
            # Earlier in the queue, earlier in the three weeks, so the waitlist keeps its order.
            early = opened * (len(registrations) - position) / (len(registrations) + 1)
            Registration.objects.filter(pk=registration.pk).update(
                queued_at=F("queued_at") + shift - early,
                created_at=F("created_at") + shift - early,
                confirmed_at=F("confirmed_at") + shift - early,
                checked_in_at=F("checked_in_at") + shift,
                updated_at=F("updated_at") + shift,
            )
        SurveyResponse.objects.filter(registration__event=event).update(
            created_at=F("created_at") + shift + timedelta(hours=3),
            updated_at=F("updated_at") + shift + timedelta(hours=3),
        )
        event.materials.update(created_at=F("created_at") + shift + timedelta(days=1))
        Activity.objects.filter(object_type="event", object_id=event.pk).update(
            occurred_at=F("occurred_at") + shift
        )


def load_demo_events(*, seed: int, volume: Volume, now: datetime) -> int:
    """The demo's events with their registrations; returns how many events were written."""
    since = Activity.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with replaying_history():
        written = _Builder(seed, now, volume).load()
    _pay_attendance(since)
    return written


def _pay_attendance(since: int) -> None:
    """Pay the replayed attendance and talks as the events consumer would have on the day (the
    award is dated when the activity happened), so the demo's members see their event points
    and badges."""
    replayed = Activity.objects.filter(
        pk__gt=since, object_type="event", verb__in=RECOGNISED_VERBS
    ).order_by("pk")
    for activity_id in replayed.values_list("pk", flat=True):
        recognise_activity(activity_id=activity_id)
