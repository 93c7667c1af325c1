"""Contests in the demo community: one finished with its winners on the home page, one open.

Both are run by the community manager through the contest services, so entries, votes,
prizes and the audit log look as they would on a live site. Time cannot pass during a
load, so the finished contest is entered while open and its time box is then moved into
the past. Call it after the community and its forum; it does nothing the second time.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from kizuna.content.models import ContentStatus, Post, PostType
from kizuna.contests import services
from kizuna.contests.models import Contest, ContestKind, Judging
from kizuna.contests.selectors import list_case_studies_of
from kizuna.demo.community import is_demo_loaded
from kizuna.identity.models import Member
from kizuna.identity.roles import StaffRole

FINISHED_TITLE = "ベスト活用事例賞 2026年秋"
OPEN_TITLE = "ベストプロフィール賞 2026年冬"

FINISHED_DESCRIPTION = """\
クラウド経費ナビの**活用事例**を募集しました。

- 業務がどう変わったか（数字があると伝わります）
- つまずいたところと、その乗り越え方
- これから導入する方へのひとこと

審査はコミュニティチームが行い、上位2名に300ポイントを贈ります。
"""

OPEN_DESCRIPTION = """\
写真と自己紹介で**あなたらしさ**を伝えてください。

担当業務や、クラウド経費ナビで解決したい課題が書いてあると、ほかのメンバーが声をかけやすくなります。
投票はメンバー1人1票、自分のプロフィールには投票できません。得票数は締め切りまで非公開です。
"""

PROFILE_STATEMENTS = (
    "経理歴10年、月次決算の早期化に取り組んでいます。電子帳簿保存法まわりの相談はお気軽にどうぞ。",
    "情報システム部でSSOとAPI連携を担当しています。他社さんの連携事例を聞くのが好きです。",
    "総務・経理を一人で担当する「ひとり情シス」です。小さな会社ならではの工夫を共有します。",
    "請求書の受け取りから支払いまでを自動化中。プロフィールに導入の経緯をまとめました。",
)


@dataclass(frozen=True)
class DemoContestsSummary:
    contests: int
    entries: int
    votes: int


def _case_study_authors() -> list[tuple[Member, Post]]:
    posts = (
        Post.objects.filter(post_type=PostType.CASE_STUDY, status=ContentStatus.PUBLISHED)
        .select_related("author")
        .order_by("created_at", "id")
    )
    chosen: list[tuple[Member, Post]] = []
    for post in posts:
        author = post.author
        if author.is_staff_member or any(member.pk == author.pk for member, _post in chosen):
            continue
        if list_case_studies_of(author).filter(pk=post.pk).exists():
            chosen.append((author, post))
    return chosen


def _finished_contest(manager: Member) -> int:
    now = timezone.now()
    contest = services.create_contest(
        actor=manager,
        details=services.ContestDetails(
            title=FINISHED_TITLE,
            description=FINISHED_DESCRIPTION,
            kind=ContestKind.BEST_CASE_STUDY,
            judging=Judging.STAFF,
            opens_at=now - timedelta(days=40),
            closes_at=now + timedelta(days=1),
            winner_count=2,
            points_per_winner=300,
            badge=None,
        ),
    )
    services.publish_contest(actor=manager, contest=contest)
    entrants = _case_study_authors()
    for author, post in entrants:
        services.enter_contest(
            member=author,
            contest=contest,
            statement=f"「{post.title}」で、導入前後の変化をまとめました。",
            post=post,
        )
    Contest.objects.filter(pk=contest.pk).update(closes_at=now - timedelta(days=10))
    contest.refresh_from_db()
    if entrants:
        winners = [author.pk for author, _post in entrants[:2]]
        services.choose_winners(actor=manager, contest=contest, member_ids=winners)
        services.announce_winners(actor=manager, contest=contest)
    return len(entrants)


def _open_contest(manager: Member) -> tuple[int, int]:
    now = timezone.now()
    contest = services.create_contest(
        actor=manager,
        details=services.ContestDetails(
            title=OPEN_TITLE,
            description=OPEN_DESCRIPTION,
            kind=ContestKind.BEST_PROFILE,
            judging=Judging.MEMBER_VOTE,
            opens_at=now - timedelta(days=3),
            closes_at=now + timedelta(days=11),
            winner_count=3,
            points_per_winner=200,
            badge=None,
        ),
    )
    services.publish_contest(actor=manager, contest=contest)
    people = list(
        Member.objects.filter(is_active=True, staff_role="")
        .exclude(bio="")
        .order_by("date_joined", "id")[: len(PROFILE_STATEMENTS) + 6]
    )
    entrants, voters = people[: len(PROFILE_STATEMENTS)], people[len(PROFILE_STATEMENTS) :]
    entries = [
        services.enter_contest(member=member, contest=contest, statement=statement)
        for member, statement in zip(entrants, PROFILE_STATEMENTS, strict=False)
    ]
    votes = 0
    for number, voter in enumerate(voters):
        if entries:
            services.cast_vote(voter=voter, contest=contest, entry=entries[number % 2])
            votes += 1
    return len(entries), votes


def load_demo_contests() -> DemoContestsSummary | None:
    """Add the demo contests once; None when the demo community is missing or already has them."""
    with transaction.atomic():
        if not is_demo_loaded() or Contest.objects.filter(title=FINISHED_TITLE).exists():
            return None
        manager = Member.objects.filter(staff_role=StaffRole.COMMUNITY_MANAGER).first()
        if manager is None:
            return None
        finished_entries = _finished_contest(manager)
        open_entries, votes = _open_contest(manager)
        return DemoContestsSummary(contests=2, entries=finished_entries + open_entries, votes=votes)
