"""Who writes what, and when: a year of the demo forum, planned from a seed.

The plan is made before anything is written, from the community as it stands (spaces,
memberships, people), so that `kizuna.demo.forum` only has to replay it through the
services. Members who joined a space later cannot have written in it earlier; a few
members write most of the answers and many only read; questions get answered within hours
or days, older ones are mostly solved, the newest still wait; activity grows over the year.

Time is planned on the demo's own clock: every event lies before the start of today
(Asia/Tokyo), so two loads on the same day plan exactly the same forum, whatever the hour.
"""

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from kizuna.content.models import PostType
from kizuna.demo import corpus, data
from kizuna.demo.stories import ASKER, CUSTOMER, THREADS, DemoThread
from kizuna.identity.models import Member
from kizuna.spaces.models import Membership

TOKYO = ZoneInfo("Asia/Tokyo")


class Volume(StrEnum):
    """How much the generator writes: the full year for `make run`, a few threads for tests."""

    FULL = "full"
    SMALL = "small"


GENERATED_THREADS = {Volume.FULL: 280, Volume.SMALL: 16}
DAYS = 365
# Where generated threads are started, and what kind they are there.
SPACE_SHARES: dict[str, float] = {
    "user-group": 0.34,
    "customers": 0.2,
    "customers-kansai": 0.05,
    "customers-kyushu": 0.04,
    "customers-invoicing": 0.08,
    "developers": 0.14,
    "developers-english": 0.05,
    "executive-roundtable": 0.05,
    "ambassadors": 0.05,
}
QUESTION, DISCUSSION, TIP, CASE_STUDY = "question", "discussion", "tip", "case_study"
KIND_SHARES: dict[str, dict[str, float]] = {
    "user-group": {QUESTION: 0.7, DISCUSSION: 0.14, TIP: 0.1, CASE_STUDY: 0.06},
    "customers": {QUESTION: 0.62, DISCUSSION: 0.2, TIP: 0.1, CASE_STUDY: 0.08},
    "customers-kansai": {QUESTION: 0.6, DISCUSSION: 0.4},
    "customers-kyushu": {QUESTION: 0.6, DISCUSSION: 0.4},
    "customers-invoicing": {QUESTION: 0.7, DISCUSSION: 0.2, TIP: 0.1},
    "developers": {QUESTION: 0.75, DISCUSSION: 0.12, TIP: 0.08, CASE_STUDY: 0.05},
    "developers-english": {QUESTION: 1.0},
    "executive-roundtable": {DISCUSSION: 1.0},
    "ambassadors": {DISCUSSION: 1.0},
}
# Which staff role answers in a space, and how often one of a question's answers is theirs.
STAFF_ANSWERS: dict[str, tuple[str, float]] = {
    "user-group": ("moderator", 0.12),
    "customers": ("csm", 0.25),
    "customers-kansai": ("csm", 0.1),
    "customers-kyushu": ("csm", 0.1),
    "customers-invoicing": ("product_manager", 0.3),
    "developers": ("product_manager", 0.2),
    "developers-english": ("product_manager", 0.2),
}
# The same question may come up twice in a year; the second time it says whose case it is.
MAX_QUESTION_USES = 2
# How many of the customer demo login's questions and answers the forum holds.
CUSTOMER_LOGIN_QUESTION_DAYS = (230, 150, 90, 40, 3)
CUSTOMER_LOGIN_ANSWER_SHARE = 0.08
PROSPECT_QUESTION_SPREAD = (0.2, 0.55, 0.9)

KIND_BY_ROLE: dict[str, str] = {
    **{role: kind for role, _weight, kind in data.JOB_ROLES},
    **dict(data.ENGLISH_JOB_ROLES),
    **dict(data.NON_CUSTOMER_ROLES),
}
COMPANIES = {company.name: company for company in data.COMPANIES}


@dataclass
class PlannedReply:
    author: Member
    body: str
    at: datetime


@dataclass
class PlannedComment:
    author: Member
    body: str
    at: datetime
    # Index into the thread's answers when the comment is on one of them.
    answer: int | None = None


@dataclass
class PlannedReaction:
    member: Member
    at: datetime
    answer: int | None = None


@dataclass
class PlannedThread:
    space: str
    post_type: str
    title: str
    body: str
    tags: tuple[str, ...]
    author: Member
    at: datetime
    public_use_consent: bool = False
    answers: list[PlannedReply] = field(default_factory=list)
    comments: list[PlannedComment] = field(default_factory=list)
    accepted: int | None = None
    accepted_at: datetime | None = None
    reactions: list[PlannedReaction] = field(default_factory=list)
    followers: list[tuple[Member, datetime]] = field(default_factory=list)
    views: int = 0


@dataclass
class PlannedFollow:
    member: Member
    at: datetime
    space: str = ""
    tag: str = ""


@dataclass
class ForumPlan:
    threads: list[PlannedThread]
    follows: list[PlannedFollow]


class _SafeSlots(dict[str, str]):
    """Leaves a placeholder the text means literally (an API path's `{id}`) as it is."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _fill(text: str, slots: dict[str, str]) -> str:
    return text.format_map(_SafeSlots(slots))


def _tells_of_experience(answer: str) -> bool:
    """An answer about what the writer's company did ("弊社は…しました", "We moved…"), which
    only a customer can give."""
    return any(marker in answer for marker in ("弊社", "うち", "ました", "We ", "we ", "our "))


def _sector(member: Member) -> str:
    company = COMPANIES.get(member.company_name)
    return company.sector if company else ""


@dataclass
class _Seat:
    """A member in one space, from when they joined it."""

    member: Member
    since: datetime


class _Planner:
    def __init__(self, seed: int, volume: Volume, now: datetime) -> None:
        self.rng = random.Random(f"demo-forum:{seed}")
        self.volume = volume
        today = now.astimezone(TOKYO).date()
        self.end = datetime.combine(today, time.min, tzinfo=TOKYO)
        self.staff = {
            m.staff_role: m for m in Member.objects.exclude(staff_role="").order_by("email")
        }
        self.customer_login = Member.objects.get(email=data.CUSTOMER_LOGIN.email)
        self.prospect = Member.objects.get(email=data.NON_CUSTOMER_LOGIN.email)
        self.seats: dict[str, list[_Seat]] = {}
        for membership in (
            Membership.objects.filter(member__is_active=True, member__staff_role="")
            .select_related("member", "space")
            .order_by("space__slug", "member__email")
        ):
            since = max(membership.joined_at, membership.member.date_joined)
            self.seats.setdefault(membership.space.slug, []).append(_Seat(membership.member, since))
        # A few members write most of what is written; a quarter only read.
        people = sorted(
            {seat.member.email: seat.member for s in self.seats.values() for seat in s}.values(),
            key=lambda m: m.email,
        )
        self.weights: dict[int, float] = {}
        for member in people:
            drawn = min(self.rng.paretovariate(1.3), 25.0)
            self.weights[member.pk] = 0.05 if self.rng.random() < 0.25 else drawn
        # The demo logins' own threads are planned for them (see give_to_demo_logins).
        self.weights[self.customer_login.pk] = 0.0
        self.weights[self.prospect.pk] = 0.0
        self.login_since = self._since(self.customer_login)
        self.interests: dict[int, list[str]] = {}
        for member_id, name in Member.interests.through.objects.order_by(
            "member_id", "interest__name"
        ).values_list("member_id", "interest__name"):
            self.interests.setdefault(member_id, []).append(name)
        self.question_uses: dict[str, int] = {}
        self.used: set[str] = set()

    def _since(self, member: Member) -> dict[str, datetime]:
        """When the member joined each of their spaces."""
        return {
            slug: seat.since
            for slug, seats in self.seats.items()
            for seat in seats
            if seat.member.pk == member.pk
        }

    # Time ---------------------------------------------------------------------------------

    def _working_time(self, days_ago: int) -> datetime:
        """A moment of a working day `days_ago` days before today, most often in office hours."""
        day = self.end.date() - timedelta(days=days_ago)
        # Most people do not post at the weekend: most of those posts move to Friday.
        if day.weekday() >= 5 and self.rng.random() < 0.8:
            day -= timedelta(days=day.weekday() - 4)
        hour = self.rng.choices(
            range(7, 23), weights=[1, 3, 8, 10, 10, 7, 9, 10, 10, 9, 7, 5, 3, 2, 2, 1]
        )[0]
        return datetime.combine(day, time(hour, self.rng.randint(0, 59)), tzinfo=TOKYO)

    def _draw_days_ago(self) -> int:
        """The community grows: the last months see more new threads than the first ones."""
        if self.rng.random() < 0.35:
            return self.rng.randint(1, DAYS)
        return max(1, int(DAYS * (1 - self.rng.random() ** 0.5)))

    def _after(self, at: datetime, low_minutes: int, high_minutes: int) -> datetime | None:
        """A moment some minutes to days after `at`, or None when it would be today or later.

        Replies written in the small hours are written in the morning instead.
        """
        minutes = self.rng.lognormvariate(0, 1) / 2.7 * (high_minutes - low_minutes)
        later = at + timedelta(minutes=low_minutes + min(minutes, high_minutes * 3))
        if later.astimezone(TOKYO).hour < 7:
            later = later.astimezone(TOKYO).replace(hour=self.rng.randint(7, 9))
        return later if later < self.end else None

    # People -------------------------------------------------------------------------------

    def _pick(
        self,
        space: str,
        at: datetime,
        *,
        exclude: Sequence[Member] = (),
        english: bool | None = None,
        everyone: bool = False,
        sector: str = "",
    ) -> Member | None:
        """A member of the space by then, more often one who writes a lot; `everyone` counts
        those who only read (for likes); `sector` asks for someone from such a company."""
        excluded = {m.pk for m in exclude}
        seats = [
            seat
            for seat in self.seats.get(space, [])
            if seat.since <= at
            and seat.member.pk not in excluded
            and (english is None or (seat.member.language == "en") == english)
            and (not sector or _sector(seat.member) == sector)
        ]
        if not seats:
            return None
        weights = [1.0 if everyone else self.weights.get(s.member.pk, 0.05) for s in seats]
        if not any(weights):
            return None
        return self.rng.choices(seats, weights=weights)[0].member

    def _slots(self, member: Member) -> dict[str, str]:
        rng = self.rng
        company = COMPANIES.get(member.company_name)
        return {
            "industry": company.industry if company else "",
            "scene": rng.choice(corpus.SCENES[company.sector if company else ""]),
            "role": member.job_role,
            "staff": str(rng.choice((45, 80, 120, 180, 300, 650, 1200, 2800))),
            "sites": str(rng.randint(2, 12)),
            "count": str(rng.choice((20, 30, 40, 60, 80, 120, 200, 400))),
            "months": str(rng.randint(3, 12)),
            "percent": str(rng.randint(60, 95)),
            "days": str(rng.randint(2, 8)),
        }

    def _first_answerer(self, space: str, at: datetime, asker: Member, text: str) -> Member | None:
        """Staff answer some questions in their spaces, those whose answer says how the product
        works rather than how a customer's company did it; the customer login answers a few in
        hers."""
        role, share = STAFF_ANSWERS.get(space, ("", 0.0))
        english = asker.language == "en"
        if role and self.rng.random() < share and not _tells_of_experience(text):
            return self.staff[role]
        login = self.customer_login
        if (
            not english
            and asker.pk != login.pk
            and self.login_since.get(space, self.end) <= at
            and self.rng.random() < CUSTOMER_LOGIN_ANSWER_SHARE
        ):
            return login
        return self._pick(space, at, exclude=[asker], english=english)

    # Content --------------------------------------------------------------------------------

    def _question(self, space: str, author: Member) -> tuple[str, str, tuple[str, ...], str]:
        """A question for this author: (title, body, answers, tag); empty when none is left."""
        english = author.language == "en"
        kind = KIND_BY_ROLE.get(author.job_role, "")
        topics = [
            t
            for t in corpus.TOPICS + corpus.ENGLISH_TOPICS
            if space in t.spaces and (t.language == "en") == english
        ]
        fitting = [t for t in topics if kind in t.kinds] or topics
        if self.rng.random() < 0.25:
            fitting = topics
        slots = self._slots(author)
        candidates = [
            (topic, q)
            for topic in fitting
            for q in topic.questions
            if self.question_uses.get(q.title, 0) < (1 if english else MAX_QUESTION_USES)
            and (self.question_uses.get(q.title, 0) == 0 or slots["industry"])
        ]
        if not candidates:
            return "", "", (), ""
        fewest = min(self.question_uses.get(q.title, 0) for _t, q in candidates)
        topic, question = self.rng.choice(
            [(t, q) for t, q in candidates if self.question_uses.get(q.title, 0) == fewest]
        )
        uses = self.question_uses.get(question.title, 0)
        self.question_uses[question.title] = uses + 1
        title = question.title if uses == 0 else f"{question.title}（{slots['industry']}の場合）"
        if english:
            return title, question.body, question.answers, topic.tag
        intros = corpus.INTROS + (corpus.INTROS_WITH_INDUSTRY if slots["industry"] else ())
        parts = [self.rng.choice(intros), question.body, self.rng.choice(corpus.ASKS)]
        body = "\n\n".join(_fill(p, slots) for p in parts if p)
        return title, body, question.answers, topic.tag

    def _answer_text(self, text: str, author: Member) -> str:
        slots = self._slots(author)
        if author.staff_role:
            return self.rng.choice(corpus.STAFF_OPENERS) + _fill(text, slots)
        if author.language == "en":
            return _fill(text, slots)
        openers = [o for o in corpus.ANSWER_OPENERS if slots["industry"] or "{industry}" not in o]
        opener, closer = self.rng.choice(openers), self.rng.choice(corpus.ANSWER_CLOSERS)
        return _fill(opener + text + closer, slots)

    def _unused(self, key: str) -> bool:
        if key in self.used:
            return False
        self.used.add(key)
        return True

    # Threads --------------------------------------------------------------------------------

    def generated_thread(self) -> PlannedThread | None:
        rng = self.rng
        space = rng.choices(list(SPACE_SHARES), weights=list(SPACE_SHARES.values()))[0]
        shares = KIND_SHARES[space]
        kind = rng.choices(list(shares), weights=list(shares.values()))[0]
        at = self._working_time(self._draw_days_ago())
        english = space == "developers-english" or (space == "user-group" and rng.random() < 0.04)
        author = self._pick(space, at, english=english)
        if author is None:
            return None
        if english:
            return self._question_thread(space, author, at)
        if kind == DISCUSSION:
            return self._discussion(space, author, at)
        if kind == TIP:
            return self._tip(space, author, at)
        if kind == CASE_STUDY:
            return self._case_study(space, author, at)
        return self._question_thread(space, author, at)

    def _question_thread(
        self, space: str, author: Member, at: datetime, question: corpus.Question | None = None
    ) -> PlannedThread | None:
        if question is None:
            title, body, answers, tag = self._question(space, author)
        else:
            title, body, answers, tag = (
                question.title,
                question.body,
                question.answers,
                "導入・オンボーディング",
            )
        if not title:
            return None
        thread = PlannedThread(space, PostType.QUESTION, title, body, (tag,), author, at)
        weights = [1, 3, 5, 4][: len(answers) + 1]
        wanted = self.rng.choices(range(len(answers) + 1), weights=weights)[0]
        english = author.language == "en"
        previous = at
        for index, text in enumerate(answers[:wanted]):
            when = self._after(previous, 20, 60 * 24)
            if when is None:
                break
            answerer = (
                self._first_answerer(space, when, author, text)
                if index == 0
                else self._pick(space, when, exclude=[author], english=english)
            )
            if answerer is None or any(a.author.pk == answerer.pk for a in thread.answers):
                continue
            thread.answers.append(PlannedReply(answerer, self._answer_text(text, answerer), when))
            previous = when
        self._settle_question(thread)
        return thread

    def _settle_question(self, thread: PlannedThread) -> None:
        """Most answered questions get the asker's thanks; older ones mostly their best answer."""
        english = thread.author.language == "en"
        if not thread.answers:
            return
        solved_by = thread.answers[0]
        accepted_at = self._after(solved_by.at, 30, 60 * 24)
        if (
            accepted_at is not None
            and accepted_at > max(a.at for a in thread.answers[:1])
            and self.rng.random() < 0.75
        ):
            thread.accepted, thread.accepted_at = 0, accepted_at
            if self.rng.random() < 0.6:
                thanks = corpus.ENGLISH_THANKS if english else corpus.ASKER_THANKS
                thread.comments.append(
                    PlannedComment(thread.author, self.rng.choice(thanks), accepted_at, answer=0)
                )
        elif self.rng.random() < 0.3:
            when = self._after(solved_by.at, 10, 60 * 6)
            if when is not None:
                thanks = corpus.ENGLISH_THANKS if english else corpus.ASKER_THANKS
                thread.comments.append(
                    PlannedComment(thread.author, self.rng.choice(thanks), when, answer=0)
                )

    def _discussion(self, space: str, author: Member, at: datetime) -> PlannedThread | None:
        pool = [d for d in corpus.DISCUSSIONS if space in d.spaces and d.title not in self.used]
        if not pool:
            return self._question_thread(space, author, at) if space in _QUESTION_SPACES else None
        discussion = self.rng.choice(pool)
        self.used.add(discussion.title)
        body = _fill(discussion.body, self._slots(author))
        thread = PlannedThread(
            space, PostType.DISCUSSION, discussion.title, body, (discussion.tag,), author, at
        )
        self._replies(thread, discussion.replies)
        return thread

    def _replies(self, thread: PlannedThread, replies: Sequence[str]) -> None:
        previous = thread.at
        for text in replies:
            when = self._after(previous, 30, 60 * 30)
            if when is None:
                return
            member = self._pick(thread.space, when, exclude=[thread.author], english=False)
            if member is None or any(a.author.pk == member.pk for a in thread.answers):
                continue
            thread.answers.append(PlannedReply(member, _fill(text, self._slots(member)), when))
            previous = when

    def _tip(self, space: str, author: Member, at: datetime) -> PlannedThread | None:
        pool = [t for t in corpus.TIPS if space in t.spaces and t.title not in self.used]
        if not pool:
            return self._question_thread(space, author, at)
        tip = self.rng.choice(pool)
        self.used.add(tip.title)
        thread = PlannedThread(space, PostType.ARTICLE, tip.title, tip.body, (tip.tag,), author, at)
        self._comments(thread, corpus.COMMENTS, self.rng.randint(0, 3))
        return thread

    def _case_study(self, space: str, author: Member, at: datetime) -> PlannedThread | None:
        company = COMPANIES.get(author.company_name)
        if company is None:
            return self._question_thread(space, author, at)
        pool = [
            c
            for c in corpus.CASE_STUDIES
            if space in c.spaces and f"{c.title}:{company.industry}" not in self.used
        ]
        if not pool:
            return self._question_thread(space, author, at)
        case = self.rng.choice(pool)
        self.used.add(f"{case.title}:{company.industry}")
        slots = self._slots(author)
        body = "\n\n".join(
            [
                f"## 課題\n{_fill(case.challenge, slots)}",
                f"## 取り組み\n{_fill(case.approach, slots)}",
                f"## 成果\n{_fill(case.result, slots)}",
                f"## 次の一手\n{_fill(case.next_step, slots)}",
            ]
        )
        thread = PlannedThread(
            space,
            PostType.CASE_STUDY,
            _fill(case.title, slots),
            body,
            (case.tag, "事例"),
            author,
            at,
            public_use_consent=self.rng.random() < 0.6,
        )
        self._comments(thread, corpus.COMMENTS, self.rng.randint(1, 3))
        return thread

    def _comments(self, thread: PlannedThread, texts: Sequence[str], count: int) -> None:
        for text in self.rng.sample(list(texts), min(count, len(texts))):
            when = self._after(thread.at, 60, 60 * 48)
            member = (
                self._pick(thread.space, when, exclude=[thread.author], english=False)
                if when
                else None
            )
            if when is not None and member is not None:
                thread.comments.append(PlannedComment(member, text, when))

    def recurring_threads(self) -> list[PlannedThread]:
        """Each recurring thread once a month, about the month just ended or starting."""
        threads: list[PlannedThread] = []
        this_month = self.end.date().replace(day=1)
        months = range(1, 13) if self.volume == Volume.FULL else range(1, 2)
        for recurring in corpus.RECURRING:
            for months_ago in months:
                index = this_month.year * 12 + this_month.month - 1 - months_ago
                first = this_month.replace(year=index // 12, month=index % 12 + 1)
                days_ago = (self.end.date() - first).days - self.rng.randint(0, 4)
                at = self._working_time(max(1, days_ago))
                author = (
                    self.staff[recurring.author_role]
                    if recurring.author_role
                    else self._pick(recurring.space, at, english=False)
                )
                if author is None:
                    continue
                month = first
                if recurring.about_last_month:
                    month = (first - timedelta(days=1)).replace(day=1)
                slots = {"year": str(month.year), "month": str(month.month)}
                items = self.rng.sample(list(recurring.items), min(3, len(recurring.items)))
                slots["items"] = "\n".join(items)
                thread = PlannedThread(
                    recurring.space,
                    recurring.post_type,
                    _fill(recurring.title, slots),
                    _fill(recurring.body, slots),
                    (recurring.tag,),
                    author,
                    at,
                )
                replies = self.rng.sample(list(recurring.replies), self.rng.randint(1, 3))
                if recurring.post_type == PostType.ANNOUNCEMENT:
                    self._comments(thread, replies, len(replies))
                else:
                    self._replies(thread, replies)
                threads.append(thread)
        return threads

    def curated_thread(self, story: DemoThread) -> PlannedThread | None:
        at = self._working_time(story.days_ago)
        if story.author == CUSTOMER:
            author = self._pick(
                story.space, at, english=story.space == "developers-english", sector=story.sector
            )
        else:
            author = self.staff[story.author]
        if author is None:
            return None
        thread = PlannedThread(
            story.space,
            story.post_type,
            story.title,
            story.body,
            story.tags,
            author,
            at,
            public_use_consent=story.public_use_consent,
        )
        previous = at
        for kind, body in story.answers:
            when = self._after(previous, 15, 60 * 30)
            if when is None:
                break
            answerer = self._writer(kind, story.space, when, author, thread)
            if answerer is not None:
                thread.answers.append(PlannedReply(answerer, body, when))
                previous = when
        if story.accepted is not None and len(thread.answers) > story.accepted:
            thread.accepted = story.accepted
            thread.accepted_at = self._after(thread.answers[-1].at, 10, 60 * 12)
            if thread.accepted_at is None:
                thread.accepted = None
        for kind, body in story.comments:
            when = self._after(thread.accepted_at or previous, 5, 60 * 12)
            writer = self._writer(kind, story.space, when, author, thread) if when else None
            if when is not None and writer is not None:
                on_answer = 0 if kind == ASKER and thread.answers else None
                thread.comments.append(PlannedComment(writer, body, when, answer=on_answer))
        return thread

    def _writer(
        self, kind: str, space: str, at: datetime, asker: Member, thread: PlannedThread
    ) -> Member | None:
        if kind == ASKER:
            return asker
        if kind == CUSTOMER:
            return self._pick(
                space,
                at,
                exclude=[asker, *(a.author for a in thread.answers)],
                english=space == "developers-english",
            )
        return self.staff[kind]

    # The demo logins --------------------------------------------------------------------------

    def give_to_demo_logins(self) -> list[PlannedThread]:
        """The customer login's own questions in her spaces (answering is in _first_answerer),
        and the prospect's questions in the open user group, which customers answer."""
        threads: list[PlannedThread] = []
        login = self.customer_login
        for days_ago in CUSTOMER_LOGIN_QUESTION_DAYS:
            at = self._working_time(days_ago)
            spaces = sorted(slug for slug, since in self.login_since.items() if since <= at)
            if spaces:
                thread = self._question_thread(self.rng.choice(spaces), login, at)
                if thread is not None:
                    threads.append(thread)
        since = self._since(self.prospect).get("user-group")
        if since is not None:
            span = self.end - since
            for question, share in zip(
                corpus.PROSPECT_QUESTIONS, PROSPECT_QUESTION_SPREAD, strict=True
            ):
                days_ago = max(1, (self.end - (since + span * share)).days)
                at = max(self._working_time(days_ago), since + timedelta(hours=1))
                thread = self._question_thread("user-group", self.prospect, at, question)
                if thread is not None:
                    threads.append(thread)
        return threads

    # Around the threads -----------------------------------------------------------------------

    def react_and_follow(self, threads: list[PlannedThread]) -> list[PlannedFollow]:
        rng = self.rng
        for thread in threads:
            targets: list[tuple[int | None, Member, datetime, float]] = [
                (None, thread.author, thread.at, 1.0)
            ]
            for index, answer in enumerate(thread.answers):
                mean = 1.8 if index == thread.accepted else 0.6
                targets.append((index, answer.author, answer.at, mean))
            for answer_index, author, at, mean in targets:
                likers: list[Member] = [author]
                for _ in range(min(8, int(rng.expovariate(1 / mean) + 0.5))):
                    when = self._after(at, 30, 60 * 48)
                    liker = (
                        self._pick(thread.space, when, exclude=likers, everyone=True)
                        if when
                        else None
                    )
                    if when is not None and liker is not None:
                        likers.append(liker)
                        thread.reactions.append(PlannedReaction(liker, when, answer_index))
            if thread.post_type == PostType.QUESTION and rng.random() < 0.15:
                when = self._after(thread.at, 60, 60 * 24)
                follower = self._pick(thread.space, when, exclude=[thread.author]) if when else None
                if when is not None and follower is not None:
                    thread.followers.append((follower, when))
            age = (self.end - thread.at).days
            thread.views = rng.randint(5, 40) + int(age * rng.uniform(0.3, 2.5))
        follows: list[PlannedFollow] = []
        for slug, seats in sorted(self.seats.items()):
            for seat in seats:
                member = seat.member
                when = self._after(seat.since, 60, 60 * 24 * 30)
                if when is None:
                    continue
                if rng.random() < 0.03:
                    follows.append(PlannedFollow(member, when, space=slug))
                interests = self.interests.get(member.pk)
                if slug == "user-group" and interests and rng.random() < 0.08:
                    follows.append(PlannedFollow(member, when, tag=rng.choice(interests)))
        return follows


_QUESTION_SPACES = frozenset(
    slug for slug, shares in KIND_SHARES.items() if shares.get(QUESTION, 0) > 0
)


def plan_forum(*, seed: int, volume: Volume, now: datetime) -> ForumPlan:
    """The whole forum, oldest thread first: the hand-written story threads, a month-by-month
    rhythm of release notes and chapter meetings, and generated threads around them."""
    planner = _Planner(seed, volume, now)
    # The demo logins' threads first, while every question is still unasked.
    threads = planner.give_to_demo_logins()
    threads += [t for story in THREADS if (t := planner.curated_thread(story)) is not None]
    threads += planner.recurring_threads()
    wanted = GENERATED_THREADS[volume]
    generated: list[PlannedThread] = []
    for _attempt in range(wanted * 3):
        if len(generated) >= wanted:
            break
        thread = planner.generated_thread()
        if thread is not None:
            generated.append(thread)
    threads += generated
    follows = planner.react_and_follow(threads)
    threads.sort(key=lambda t: t.at)
    return ForumPlan(threads, follows)
