"""What each person sees first: a member's feed and progress, staff work queues, the pulse.

Every read goes through the owning app's policy and selectors (content through
`posts_visible_to`, queues through the very selectors their pages list), so a figure on the
home page is the figure on the page it links to, and nothing reaches a viewer here that the
viewer could not open there.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from kizuna.content.models import Answer, ContentStatus, Follow, Post, PostType, Tag
from kizuna.content.permissions import posts_visible_to
from kizuna.content.qa import can_view_unanswered_queue, list_unanswered
from kizuna.customers.selectors import count_accounts, is_customer
from kizuna.gamification.models import EARNING_KINDS
from kizuna.gamification.selectors import LevelProgress, get_level_progress, ledger_for_member
from kizuna.identity.models import Member
from kizuna.identity.permissions import Viewer, can_open_staff_pages, has_capability
from kizuna.identity.roles import Capability
from kizuna.identity.selectors import count_members
from kizuna.moderation.permissions import can_open_review_queue
from kizuna.moderation.selectors import review_items_for, spaces_moderated_by
from kizuna.notifications.models import Notification, NotificationKind
from kizuna.notifications.selectors import describe_notification, recognition_path
from kizuna.plays.permissions import can_view_plays
from kizuna.plays.selectors import mine_by_default, open_play_count
from kizuna.rewards.models import RedemptionStatus
from kizuna.rewards.permissions import can_manage_rewards
from kizuna.rewards.selectors import redemption_queue
from kizuna.spaces.models import AccessType, JoinRequest, Membership, Space
from kizuna.spaces.permissions import spaces_with_visible_content
from kizuna.spaces.selectors import directory

QUESTIONS_ON_HOME = 5
RECOGNITION_ON_HOME = 6
OPEN_SPACES_ON_HOME = 6
REQUEST_SPACES_ON_HOME = 5
PULSE_WINDOWS = (7, 30)

_ORDERED_TAGS = Prefetch("tags", queryset=Tag.objects.order_by("name"))


# ---------------------------------------------------------------- a member's content


def member_feed(member: Member) -> QuerySet[Post]:
    """New in the member's spaces and in the spaces, tags and threads they follow, latest first.

    Published posts only: a held post of one's own is found on its thread, not announced as new.
    """
    follows = Follow.objects.filter(member_id=member.pk)
    in_their_spaces = Exists(
        Membership.objects.filter(space_id=OuterRef("space_id"), member_id=member.pk)
    )
    followed = (
        Exists(follows.filter(space_id=OuterRef("space_id")))
        | Exists(follows.filter(post_id=OuterRef("pk")))
        | Exists(follows.filter(tag__posts=OuterRef("pk")))
    )
    return (
        posts_visible_to(member)
        .filter(in_their_spaces | followed, status=ContentStatus.PUBLISHED)
        .select_related("space", "author")
        .prefetch_related(_ORDERED_TAGS)
        .order_by("-last_activity_at", "-id")
    )


def questions_to_answer(member: Member) -> QuerySet[Post]:
    """Questions nobody has answered yet in the member's spaces, those on their challenges
    (interests, or tags they follow) first, then the newest.

    `matches_interest` marks the first kind. Only spaces the member belongs to: there they
    may answer, whatever kind of space it is.
    """
    their_tags = Tag.objects.filter(
        Q(name__in=member.interests.values("name")) | Q(followers__member_id=member.pk)
    )
    on_their_challenges = Exists(
        Post.tags.through.objects.filter(post_id=OuterRef("pk"), tag__in=their_tags)
    )
    in_their_spaces = Exists(
        Membership.objects.filter(space_id=OuterRef("space_id"), member_id=member.pk)
    )
    return (
        posts_visible_to(member)
        .filter(
            in_their_spaces,
            status=ContentStatus.PUBLISHED,
            post_type=PostType.QUESTION,
            answer_count=0,
            is_locked=False,
        )
        .exclude(author_id=member.pk)
        .annotate(matches_interest=on_their_challenges)
        .select_related("space", "author")
        .prefetch_related(_ORDERED_TAGS)
        .order_by("-matches_interest", "-created_at", "-id")
    )


@dataclass(frozen=True)
class RecognitionItem:
    """One line of recent recognition: a level reached, a badge, or points."""

    when: datetime
    text: str
    url: str
    points: int | None = None


def recent_recognition(member: Member, limit: int = RECOGNITION_ON_HOME) -> list[RecognitionItem]:
    """The member's latest level-ups, badges and points earned (or taken back), newest first,
    at most `limit`. Spending on rewards is no recognition: the recognition page lists it."""
    notices = (
        Notification.objects.filter(
            recipient_id=member.pk,
            kind__in=(NotificationKind.LEVEL_UP, NotificationKind.BADGE_EARNED),
        )
        .select_related("actor")
        .order_by("-created_at", "-id")[:limit]
    )
    items = [
        RecognitionItem(
            when=notice.created_at,
            text=describe_notification(notice, is_post_visible=True),
            url=recognition_path(notice),
        )
        for notice in notices
    ]
    history = reverse("gamification:my-recognition")
    earned = ledger_for_member(member).filter(kind__in=EARNING_KINDS)
    for entry in earned.order_by("-created_at", "-pk")[:limit]:
        label = entry.rule.label if entry.rule is not None else entry.get_kind_display()
        items.append(
            RecognitionItem(when=entry.created_at, text=label, url=history, points=entry.amount)
        )
    items.sort(key=lambda item: item.when, reverse=True)
    return items[:limit]


def open_spaces(viewer: Viewer) -> QuerySet[Space]:
    """Spaces anyone may read, for people who are not customers yet, by name."""
    return directory(viewer, space_type=AccessType.OPEN)


# ---------------------------------------------------------------- work queues


@dataclass(frozen=True)
class SpaceRequests:
    space: Space
    pending: int


@dataclass(frozen=True)
class WorkQueues:
    """What waits for this person, each queue None when they may not open its page.

    Each count is what its page lists with the filter the link carries; `join_requests`
    holds the spaces with the most applications waiting, `join_requests_total` counts the
    applications of every space and `more_request_spaces` the spaces left out.
    """

    review_items: int | None = None
    unanswered: int | None = None
    join_requests: list[SpaceRequests] | None = None
    join_requests_total: int = 0
    more_request_spaces: int = 0
    redemptions_requested: int | None = None
    redemptions_approved: int | None = None
    # Open plays: a CSM's own (`plays_mine`), everyone's for other staff who see plays.
    plays_due: int | None = None
    plays_mine: bool = False

    @property
    def opens_any(self) -> bool:
        """Whether this person works any queue at all, however empty."""
        return any(
            value is not None
            for value in (
                self.review_items,
                self.unanswered,
                self.redemptions_requested,
                self.plays_due,
            )
        )


def pending_requests_by_space(viewer: Viewer) -> list[SpaceRequests]:
    """Spaces whose applications this viewer decides and that have some waiting, most first.

    The spaces are those whose request page lets the viewer in: moderated, live and readable.
    """
    decidable = spaces_moderated_by(viewer).filter(
        pk__in=spaces_with_visible_content(viewer).values("pk")
    )
    counts = list(
        JoinRequest.objects.filter(status=JoinRequest.Status.PENDING, space__in=decidable)
        .values_list("space_id")
        .annotate(pending=Count("pk"))
        .order_by("-pending", "space__name", "space_id")
    )
    spaces = Space.objects.in_bulk([space_id for space_id, _pending in counts])
    return [SpaceRequests(space=spaces[space_id], pending=pending) for space_id, pending in counts]


def work_queues(viewer: Viewer) -> WorkQueues:
    """The queues this viewer works, with their counts; staff need two-step sign-in first."""
    if getattr(viewer, "is_staff_member", False) and not can_open_staff_pages(viewer):
        return WorkQueues()
    review_items: int | None = None
    unanswered: int | None = None
    requested: int | None = None
    approved: int | None = None
    join_requests: list[SpaceRequests] | None = None
    join_requests_total = more_request_spaces = 0
    if can_open_review_queue(viewer):
        review_items = review_items_for(viewer).count()
        by_space = pending_requests_by_space(viewer)
        join_requests = by_space[:REQUEST_SPACES_ON_HOME]
        join_requests_total = sum(row.pending for row in by_space)
        more_request_spaces = len(by_space) - len(join_requests)
    if can_view_unanswered_queue(viewer):
        unanswered = list_unanswered(viewer).count()
    if can_manage_rewards(viewer):
        requested = redemption_queue(status=RedemptionStatus.REQUESTED).count()
        approved = redemption_queue(status=RedemptionStatus.APPROVED).count()
    plays_due = open_play_count(viewer) if can_view_plays(viewer) else None
    return WorkQueues(
        review_items=review_items,
        unanswered=unanswered,
        join_requests=join_requests,
        join_requests_total=join_requests_total,
        more_request_spaces=more_request_spaces,
        redemptions_requested=requested,
        redemptions_approved=approved,
        plays_due=plays_due,
        plays_mine=mine_by_default(viewer),
    )


# ---------------------------------------------------------------- the community's pulse


@dataclass(frozen=True)
class Pulse:
    """The community over the last `days` days; staff excluded from new members.

    - new members: active members without a staff role who signed up in the window;
    - posts: published posts of any type created in the window;
    - answers: published answers (replies of any thread) on published posts, created in it;
    - solved rate: of the published questions asked in the window, the share with an
      accepted answer (DOMAIN §6 solution rate), None when none was asked.
    """

    days: int
    new_members: int
    posts: int
    answers: int
    questions: int
    solved_questions: int

    @property
    def solved_rate(self) -> int | None:
        if self.questions == 0:
            return None
        return round(self.solved_questions * 100 / self.questions)


def community_pulse(days: int, *, now: datetime | None = None) -> Pulse:
    since = (now or timezone.now()) - timedelta(days=days)
    new_members = Member.objects.filter(
        is_active=True, staff_role="", date_joined__gte=since
    ).count()
    question = Q(post_type=PostType.QUESTION)
    posts = Post.objects.filter(status=ContentStatus.PUBLISHED, created_at__gte=since).aggregate(
        posts=Count("pk"),
        questions=Count("pk", filter=question),
        solved=Count("pk", filter=question & Q(accepted_answer__isnull=False)),
    )
    answers = Answer.objects.filter(
        status=ContentStatus.PUBLISHED,
        post__status=ContentStatus.PUBLISHED,
        created_at__gte=since,
    ).count()
    return Pulse(
        days=days,
        new_members=new_members,
        posts=posts["posts"],
        answers=answers,
        questions=posts["questions"],
        solved_questions=posts["solved"],
    )


# ---------------------------------------------------------------- the pages' reads


@dataclass(frozen=True)
class VisitorHome:
    """Someone not signed in: the spaces they can read now."""

    open_spaces: list[Space]
    has_more_spaces: bool


def visitor_home(viewer: Viewer) -> VisitorHome:
    spaces = list(open_spaces(viewer)[: OPEN_SPACES_ON_HOME + 1])
    return VisitorHome(
        open_spaces=spaces[:OPEN_SPACES_ON_HOME],
        has_more_spaces=len(spaces) > OPEN_SPACES_ON_HOME,
    )


@dataclass(frozen=True)
class MemberHome:
    """A signed-in person's home. `feed` is a queryset for the page to paginate; the rest is
    bounded, each with a link to its whole list. A prospect (signed in, not a customer, not
    staff) also gets the open spaces and how to become a customer member."""

    feed: QuerySet[Post]
    belongs_to_spaces: bool
    questions: list[Post]
    has_more_questions: bool
    progress: LevelProgress
    recognition: list[RecognitionItem]
    queues: WorkQueues
    needs_two_step: bool
    is_prospect: bool
    open_spaces: list[Space] = field(default_factory=list)
    has_more_spaces: bool = False


def member_home(member: Member) -> MemberHome:
    questions = list(questions_to_answer(member)[: QUESTIONS_ON_HOME + 1])
    is_prospect = not (is_customer(member) or member.is_staff_member)
    spaces = list(open_spaces(member)[: OPEN_SPACES_ON_HOME + 1]) if is_prospect else []
    return MemberHome(
        feed=member_feed(member),
        belongs_to_spaces=Membership.objects.filter(member_id=member.pk).exists(),
        questions=questions[:QUESTIONS_ON_HOME],
        has_more_questions=len(questions) > QUESTIONS_ON_HOME,
        progress=get_level_progress(member),
        recognition=recent_recognition(member),
        queues=work_queues(member),
        needs_two_step=member.is_staff_member and not can_open_staff_pages(member),
        is_prospect=is_prospect,
        open_spaces=spaces[:OPEN_SPACES_ON_HOME],
        has_more_spaces=len(spaces) > OPEN_SPACES_ON_HOME,
    )


@dataclass(frozen=True)
class StaffConsole:
    queues: WorkQueues
    pulses: list[Pulse]
    sees_customers: bool
    member_counts: dict[str, int]
    account_counts: dict[str, int]
    can_manage_api_keys: bool
    can_read_audit_log: bool


def staff_console(viewer: Member) -> StaffConsole:
    """The staff hub: work queues, the pulse, and the figures of the pages each role opens."""
    return StaffConsole(
        queues=work_queues(viewer),
        pulses=[community_pulse(days) for days in PULSE_WINDOWS],
        sees_customers=has_capability(viewer, Capability.VIEW_CUSTOMER_DATA),
        member_counts=count_members(),
        account_counts=count_accounts(),
        can_manage_api_keys=has_capability(viewer, Capability.MANAGE_API_KEYS),
        can_read_audit_log=has_capability(viewer, Capability.READ_AUDIT_LOG),
    )
