"""Every space page × every kind of viewer × every access type, against an explicit expectation table.

The table is written out by hand from S1 rather than derived from the policy module, so a
change to kizuna/spaces/permissions.py that lets the wrong person in fails here. A denied
response may name the space and show its purpose, and nothing else of it.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kizuna.badges.tests.factories import BadgeAwardFactory
from kizuna.content.attachments import add_attachment
from kizuna.content.models import ContentStatus, Post
from kizuna.content.tests.factories import PostFactory
from kizuna.customers.tests.factories import make_customer
from kizuna.gamification.models import EntryKind, LedgerEntry
from kizuna.gamification.services import AwardContext, award_points
from kizuna.identity.models import Member
from kizuna.identity.roles import StaffRole
from kizuna.identity.tests.factories import MemberFactory, StaffFactory
from kizuna.rewards.services import redeem_reward
from kizuna.rewards.tests.factories import RewardFactory, give_points
from kizuna.search.indexing import index_post
from kizuna.spaces.models import AccessType, Space, SpaceRole
from kizuna.spaces.permissions import get_space_access, spaces_with_visible_content
from kizuna.spaces.tests.factories import (
    InvitationFactory,
    JoinRequestFactory,
    MembershipFactory,
    SpaceFactory,
)
from tests.api.conftest import make_key

pytestmark = pytest.mark.django_db

SPACE_NAME = "マトリクス検証スペース"
PURPOSE = "公開してよい目的の文"
SECRET_DESCRIPTION = "非公開の説明文ZQX"
SECRET_RULES = "非公開のルールWVY"
SECRET_HOST_NAME = "秘密のホスト山田"
SECRET_APPLICANT = "秘密の申請者佐藤"
SECRET_INVITEE = "secret-invitee@example.org"
SECRETS = (SECRET_DESCRIPTION, SECRET_HOST_NAME, SECRET_APPLICANT, SECRET_INVITEE)

VIEWERS = [
    "anonymous",
    "non_customer",
    "customer",
    "member",
    "space_moderator",
    *[f"staff_{r}" for r in StaffRole.values],
]
MANAGING_STAFF = {"staff_administrator", "staff_community_manager"}
MODERATING_STAFF = MANAGING_STAFF | {"staff_moderator"}
ALL_STAFF = {f"staff_{r}" for r in StaffRole.values}
EVERYONE = set(VIEWERS)


def reads_content(access_type: str) -> set[str]:
    """Who reads a space's content (S1)."""
    members = {"member", "space_moderator"} | ALL_STAFF
    if access_type == AccessType.OPEN:
        return EVERYONE
    if access_type == AccessType.PRIVATE:
        return members | {"customer"}
    return members


@dataclass(frozen=True)
class PageCase:
    name: str
    url: Callable[[Space], str]
    allowed: Callable[[str], set[str]]
    method: str = "get"


PAGES = [
    PageCase(
        "space-detail", lambda s: reverse("spaces:space-detail", args=[s.slug]), reads_content
    ),
    PageCase(
        "space-members",
        lambda s: reverse("spaces:space-members", args=[s.slug]),
        lambda t: reads_content(t) - {"anonymous"},
    ),
    PageCase(
        "space-requests",
        lambda s: reverse("spaces:space-requests", args=[s.slug]),
        lambda t: {"space_moderator"} | MODERATING_STAFF,
    ),
    PageCase(
        "space-invitations",
        lambda s: reverse("spaces:space-invitations", args=[s.slug]),
        lambda t: {"member", "space_moderator"} | MANAGING_STAFF,
    ),
    PageCase(
        "space-edit",
        lambda s: reverse("spaces:space-edit", args=[s.slug]),
        lambda t: MANAGING_STAFF,
    ),
]


def make_viewer(kind: str, space: Space) -> Member | None:
    if kind == "anonymous":
        return None
    if kind == "non_customer":
        return MemberFactory()
    if kind.startswith("staff_"):
        return StaffFactory(staff_role=kind.removeprefix("staff_"))
    customer = make_customer()
    if kind == "member":
        MembershipFactory(space=space, member=customer)
    elif kind == "space_moderator":
        MembershipFactory(space=space, member=customer, role=SpaceRole.MODERATOR)
    return customer


def build_space(access_type: str) -> Space:
    space = SpaceFactory(
        name=SPACE_NAME,
        purpose=PURPOSE,
        description=SECRET_DESCRIPTION,
        rules=SECRET_RULES,
        access_type=access_type,
    )
    MembershipFactory(
        space=space, member=make_customer(display_name=SECRET_HOST_NAME), role=SpaceRole.HOST
    )
    if access_type == AccessType.APPLICATION:
        JoinRequestFactory(space=space, applicant=MemberFactory(display_name=SECRET_APPLICANT))
    InvitationFactory(space=space, email=SECRET_INVITEE)
    return space


def fetch(client: Client, page: PageCase, space: Space) -> Any:
    return getattr(client, page.method)(page.url(space))


def is_denied(response: Any) -> bool:
    if response.status_code in (401, 403, 404):
        return True
    return response.status_code == 302 and any(
        marker in response["Location"] for marker in ("/accounts/login", "/mfa/")
    )


@pytest.mark.parametrize("access_type", AccessType.values)
@pytest.mark.parametrize("viewer_kind", VIEWERS)
@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_space_page_access(
    client: Client, page: PageCase, viewer_kind: str, access_type: str
) -> None:
    space = build_space(access_type)
    viewer = make_viewer(viewer_kind, space)
    if viewer is not None:
        client.force_login(viewer)
    response = fetch(client, page, space)
    if viewer_kind in page.allowed(access_type):
        assert response.status_code == 200, (
            f"{viewer_kind} should open {page.name} of a {access_type} space"
        )
    else:
        assert is_denied(response), (
            f"{viewer_kind} must not open {page.name} of a {access_type} space ({response.status_code})"
        )
        body = response.content.decode()
        leaked = [secret for secret in SECRETS if secret in body]
        assert leaked == [], f"denied {page.name} leaked {leaked}"
        if access_type != AccessType.APPLICATION:
            assert SECRET_RULES not in body


DENIED_READERS = [(v, t) for t in AccessType.values for v in VIEWERS if v not in reads_content(t)]


@pytest.mark.parametrize(("viewer_kind", "access_type"), DENIED_READERS)
def test_denied_detail_page_names_the_space_and_its_purpose(
    client: Client, viewer_kind: str, access_type: str
) -> None:
    space = build_space(access_type)
    viewer = make_viewer(viewer_kind, space)
    if viewer is not None:
        client.force_login(viewer)
    body = client.get(reverse("spaces:space-detail", args=[space.slug])).content.decode()
    assert SPACE_NAME in body and PURPOSE in body


@pytest.mark.parametrize("access_type", AccessType.values)
@pytest.mark.parametrize("viewer_kind", VIEWERS)
def test_space_directory_never_shows_hidden_content(
    client: Client, viewer_kind: str, access_type: str
) -> None:
    space = build_space(access_type)
    viewer = make_viewer(viewer_kind, space)
    if viewer is not None:
        client.force_login(viewer)
    body = client.get(reverse("spaces:space-list")).content.decode()
    assert SPACE_NAME in body
    assert [secret for secret in SECRETS if secret in body] == []


JOINERS: dict[str, set[str]] = {
    AccessType.OPEN: {"non_customer", "customer"} | ALL_STAFF,
    AccessType.PRIVATE: {"customer"} | MANAGING_STAFF,
    AccessType.APPLICATION: set(),
}


@pytest.mark.parametrize("access_type", AccessType.values)
@pytest.mark.parametrize(
    "viewer_kind", ["anonymous", "non_customer", "customer", *sorted(ALL_STAFF)]
)
def test_joining_a_space(client: Client, viewer_kind: str, access_type: str) -> None:
    space = build_space(access_type)
    viewer = make_viewer(viewer_kind, space)
    if viewer is not None:
        client.force_login(viewer)
    before = space.memberships.count()
    response = client.post(reverse("spaces:space-join", args=[space.slug]))
    joined = space.memberships.count() == before + 1
    assert joined == (viewer_kind in JOINERS[access_type]), (
        f"{viewer_kind} joining a {access_type} space: {response.status_code}"
    )
    if not joined:
        assert response.status_code in (302, 403, 404)


# --- the recognition API -----------------------------------------------------------------
# Someone else's points, ledger and redemptions: that member and staff. Leaderboards of a
# space: those who read its content. Staff call through an API key acting as them (their
# browser session needs two-factor authentication first).

SUBJECT_NAME = "記録の本人鈴木"
LEDGER_SECRET = "本人だけの調整理由QZ"
API_VIEWERS = [*VIEWERS, "subject"]
SIGNED_IN = set(API_VIEWERS) - {"anonymous"}


@dataclass(frozen=True)
class Recognition:
    space: Space
    subject: Member
    redemption_id: int
    reward_id: int


@dataclass(frozen=True)
class ApiCase:
    name: str
    path: Callable[[Recognition], str]
    allowed: Callable[[str], set[str]]
    method: str = "get"


def _subject_and_staff(access_type: str) -> set[str]:
    return {"subject"} | ALL_STAFF


API_CASES = [
    ApiCase("levels", lambda w: "/api/recognition/levels", lambda t: SIGNED_IN),
    ApiCase("me", lambda w: "/api/recognition/me", lambda t: SIGNED_IN),
    ApiCase("summary", lambda w: f"/api/recognition/members/{w.subject.pk}", _subject_and_staff),
    ApiCase(
        "ledger", lambda w: f"/api/recognition/members/{w.subject.pk}/ledger", _subject_and_staff
    ),
    ApiCase("balances", lambda w: "/api/recognition/balances", lambda t: ALL_STAFF),
    ApiCase(
        "leaderboard",
        lambda w: f"/api/recognition/leaderboard?space_id={w.space.pk}",
        lambda t: reads_content(t) - {"anonymous"} | {"subject"},  # the subject is a member
    ),
    ApiCase(
        "member-badges",
        lambda w: f"/api/recognition/members/{w.subject.pk}/badges",
        lambda t: SIGNED_IN,
    ),
    ApiCase("badges", lambda w: "/api/badges", lambda t: SIGNED_IN),
    ApiCase("rewards", lambda w: "/api/rewards", lambda t: SIGNED_IN),
    ApiCase(
        "subject-redemptions",
        lambda w: f"/api/redemptions?member_id={w.subject.pk}",
        _subject_and_staff,
    ),
    ApiCase("redemption", lambda w: f"/api/redemptions/{w.redemption_id}", _subject_and_staff),
    ApiCase(
        "redeem",
        lambda w: f"/api/rewards/{w.reward_id}/redeem",
        lambda t: SIGNED_IN,
        method="post",
    ),
]
# Only the leaderboard depends on the space; the other operations run against one open space.
API_RUNS = [
    (case, access_type)
    for case in API_CASES
    for access_type in (AccessType.values if case.name == "leaderboard" else [AccessType.OPEN])
]


def build_recognition(access_type: str) -> Recognition:
    space = build_space(access_type)
    subject = make_customer(display_name=SUBJECT_NAME)
    MembershipFactory(space=space, member=subject)
    award_points(
        member=subject,
        rule_key="event_spoke",
        source=None,
        idempotency_key="matrix-spoke",
        context=AwardContext(space_id=space.pk),
    )
    give_points(subject, 200)
    LedgerEntry.objects.filter(member=subject, kind=EntryKind.ADJUSTMENT).update(
        reason=LEDGER_SECRET
    )
    reward = RewardFactory(cost_points=10, stock=None)
    redemption = redeem_reward(member=subject, reward=reward, idempotency_key="matrix-subject")
    BadgeAwardFactory(member=subject)
    return Recognition(space, subject, redemption.pk, reward.pk)


def api_client_for(kind: str, world: Recognition) -> Client:
    if kind == "anonymous":
        return Client()
    viewer = world.subject if kind == "subject" else make_viewer(kind, world.space)
    assert viewer is not None
    give_points(viewer, 10)
    if kind.startswith("staff_"):
        return Client(HTTP_AUTHORIZATION=f"Bearer {make_key(viewer)}")
    client = Client()
    client.force_login(viewer)
    return client


@pytest.mark.parametrize("viewer_kind", API_VIEWERS)
@pytest.mark.parametrize(
    ("case", "access_type"), API_RUNS, ids=lambda v: v.name if isinstance(v, ApiCase) else v
)
def test_recognition_api_access(case: ApiCase, access_type: str, viewer_kind: str) -> None:
    world = build_recognition(access_type)
    client = api_client_for(viewer_kind, world)
    path = case.path(world)
    if case.method == "post":
        response = client.post(
            path, "{}", content_type="application/json", HTTP_IDEMPOTENCY_KEY=f"m-{viewer_kind}"
        )
    else:
        response = client.get(path)
    if viewer_kind in case.allowed(access_type):
        assert response.status_code in (200, 201), (
            f"{viewer_kind} should call {case.name} ({access_type}): {response.status_code}"
        )
    else:
        assert response.status_code in (401, 403, 404), (
            f"{viewer_kind} must not call {case.name} ({access_type}): {response.status_code}"
        )
        body = response.content.decode()
        assert SUBJECT_NAME not in body and LEDGER_SECRET not in body


# --- sub-groups --------------------------------------------------------------------------
# A sub-group's content needs its own space's rule and its parent's (S1); every staff role
# reads every live space, archived ones only the staff who manage spaces, and posts held for
# review only their author and those who moderate. Each surface that shows a post is asked
# separately, and the policy's Python and SQL forms are held to the same table.

SUB_TITLE = "サブグループ限定の請求書手順QX"
SUB_QUERY = "請求書"
SUB_AUTHOR = "サブグループの投稿者田中"
SUBGROUP_VIEWERS = [*VIEWERS, "subgroup_only_member"]


@dataclass(frozen=True)
class Family:
    """A space and one sub-group of it; `archived` is "", "parent" or "sub"."""

    name: str
    parent_type: str
    sub_type: str
    archived: str = ""


FAMILIES = [
    Family("open-in-open", AccessType.OPEN, AccessType.OPEN),
    Family("application-in-open", AccessType.OPEN, AccessType.APPLICATION),
    Family("private-in-open", AccessType.OPEN, AccessType.PRIVATE),
    Family("open-in-application", AccessType.APPLICATION, AccessType.OPEN),
    Family("open-in-private", AccessType.PRIVATE, AccessType.OPEN),
    Family("private-in-private", AccessType.PRIVATE, AccessType.PRIVATE),
    Family("archived-sub", AccessType.OPEN, AccessType.OPEN, archived="sub"),
    Family("in-archived-parent", AccessType.OPEN, AccessType.OPEN, archived="parent"),
]


def reads_parent(family: Family) -> set[str]:
    """Who reads the parent's content; a member of the sub-group alone is a customer there."""
    if family.archived == "parent":
        return MANAGING_STAFF
    readers = reads_content(family.parent_type)
    return readers | {"subgroup_only_member"} if "customer" in readers else readers


def reads_subgroup(family: Family) -> set[str]:
    """Who reads the sub-group's content: its own rule and its parent's (S1)."""
    if family.archived:
        return MANAGING_STAFF
    own = reads_content(family.sub_type) | {"subgroup_only_member"}
    return own & reads_parent(family)


def make_person(kind: str) -> Member | None:
    if kind == "anonymous":
        return None
    if kind == "non_customer":
        return MemberFactory()
    if kind.startswith("staff_"):
        return StaffFactory(staff_role=kind.removeprefix("staff_"))
    return make_customer()


def join_family(viewer: Member | None, kind: str, parent: Space, sub: Space) -> None:
    """The memberships a kind of viewer holds in a space and its sub-group."""
    if viewer is None:
        return
    if kind in ("member", "space_moderator"):
        MembershipFactory(space=parent, member=viewer)
        role = SpaceRole.MODERATOR if kind == "space_moderator" else SpaceRole.MEMBER
        MembershipFactory(space=sub, member=viewer, role=role)
    elif kind == "subgroup_only_member":
        MembershipFactory(space=sub, member=viewer)


def build_family(family: Family, tag: str) -> tuple[Space, Space]:
    parent = SpaceFactory(access_type=family.parent_type, slug=f"parent-{tag}")
    sub = SpaceFactory(
        access_type=family.sub_type, parent=parent, name=f"{SPACE_NAME}{tag}", slug=f"sub-{tag}"
    )
    return parent, sub


def archive(family: Family, parent: Space, sub: Space) -> None:
    if family.archived:
        target = parent if family.archived == "parent" else sub
        Space.objects.filter(pk=target.pk).update(archived_at=timezone.now())


@dataclass(frozen=True)
class SubgroupWorld:
    parent: Space
    sub: Space
    post: Post
    attachment_id: int


def build_subgroup_world(family: Family) -> SubgroupWorld:
    parent, sub = build_family(family, "w")
    author = make_customer(display_name=SUB_AUTHOR)
    join_family(author, "member", parent, sub)
    post = PostFactory(space=sub, author=author, title=SUB_TITLE)
    attachment = add_attachment(
        uploader=author, post=post, upload=SimpleUploadedFile("手順.pdf", b"%PDF-1.7 x")
    )
    index_post(post.pk)
    award_points(
        member=author,
        rule_key="event_spoke",
        source=None,
        idempotency_key="subgroup-spoke",
        context=AwardContext(space_id=sub.pk),
    )
    archive(family, parent, sub)
    return SubgroupWorld(parent, sub, post, attachment.pk)


def subgroup_surfaces(page: Client, api: Client, world: SubgroupWorld) -> dict[str, bool]:
    """Whether each surface showed the sub-group's post (or its space's board) to the viewer."""
    thread = page.get(reverse("content:post-detail", args=[world.post.pk]))
    feed = page.get(reverse("content:space-feed", args=[world.sub.slug]))
    search = page.get(reverse("search:search"), {"q": SUB_QUERY})
    board = page.get(reverse("gamification:leaderboard"), {"space": world.sub.slug})
    attachment = page.get(reverse("content:attachment-download", args=[world.attachment_id]))
    api_post = api.get(f"/api/posts/{world.post.pk}")
    api_board = api.get(f"/api/recognition/leaderboard?space_id={world.sub.pk}")
    for denied in (r for r in (thread, feed, api_post) if r.status_code != 200):
        assert SUB_TITLE not in shown_text(denied)
    return {
        "thread": thread.status_code == 200 and SUB_TITLE in shown_text(thread),
        "feed": feed.status_code == 200 and SUB_TITLE in shown_text(feed),
        "search": SUB_TITLE in shown_text(search),
        "leaderboard": board.status_code == 200,
        "attachment": attachment.status_code == 200,
        "api-post": api_post.status_code == 200 and api_post.json()["title"] == SUB_TITLE,
        "api-leaderboard": api_board.status_code == 200,
    }


def shown_text(response: Any) -> str:
    """The body as a reader sees it: search results mark the words that matched."""
    return str(response.content.decode().replace("<mark>", "").replace("</mark>", ""))


# The API needs a signed-in member or a key; everything else follows the reading rule.
SIGNED_IN_SURFACES = {"api-post", "api-leaderboard"}


@pytest.mark.parametrize("viewer_kind", SUBGROUP_VIEWERS)
@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f.name)
def test_subgroup_post_reaches_exactly_its_readers(family: Family, viewer_kind: str) -> None:
    world = build_subgroup_world(family)
    viewer = make_person(viewer_kind)
    join_family(viewer, viewer_kind, world.parent, world.sub)
    page, api = Client(), Client()
    if viewer is not None:
        page.force_login(viewer)
        if viewer.is_staff_member:
            api = Client(HTTP_AUTHORIZATION=f"Bearer {make_key(viewer)}")
        else:
            api.force_login(viewer)
    reads = viewer_kind in reads_subgroup(family)
    expected = {
        surface: reads and not (surface in SIGNED_IN_SURFACES and viewer is None)
        for surface in (
            "thread",
            "feed",
            "search",
            "leaderboard",
            "attachment",
            "api-post",
            "api-leaderboard",
        )
    }
    assert subgroup_surfaces(page, api, world) == expected


@pytest.mark.parametrize("viewer_kind", SUBGROUP_VIEWERS)
def test_space_access_and_visible_spaces_agree_for_every_space(viewer_kind: str) -> None:
    """`get_space_access` (Python) and `spaces_with_visible_content` (SQL) give the table's answer."""
    viewer = make_person(viewer_kind)
    expected: dict[str, bool] = {}
    spaces: dict[str, Space] = {}
    for access_type in AccessType.values:
        slug = f"top-{access_type}"
        spaces[slug] = SpaceFactory(access_type=access_type, slug=slug)
        if viewer_kind in ("member", "space_moderator"):
            role = SpaceRole.MODERATOR if viewer_kind == "space_moderator" else SpaceRole.MEMBER
            MembershipFactory(space=spaces[slug], member=viewer, role=role)
        # Outside sub-groups, a member of a sub-group alone is any customer.
        kind = "customer" if viewer_kind == "subgroup_only_member" else viewer_kind
        expected[slug] = kind in reads_content(access_type)
    for family in FAMILIES:
        parent, sub = build_family(family, family.name)
        join_family(viewer, viewer_kind, parent, sub)
        archive(family, parent, sub)
        spaces[f"parent-{family.name}"], spaces[f"sub-{family.name}"] = parent, sub
        expected[f"parent-{family.name}"] = viewer_kind in reads_parent(family)
        expected[f"sub-{family.name}"] = viewer_kind in reads_subgroup(family)
    visible = set(spaces_with_visible_content(viewer).values_list("slug", flat=True))
    in_python = {
        slug: get_space_access(viewer, Space.objects.get(pk=space.pk)).can_view_content
        for slug, space in spaces.items()
    }
    in_sql = {slug: slug in visible for slug in spaces}
    assert in_python == expected
    assert in_sql == expected


@pytest.mark.parametrize("viewer_kind", SUBGROUP_VIEWERS)
def test_held_subgroup_post_reaches_only_its_author_and_moderators(viewer_kind: str) -> None:
    """Reading every space is not moderating: staff without MODERATE do not see held posts."""
    parent, sub = build_family(FAMILIES[0], "held")
    post = PostFactory(space=sub, title=SUB_TITLE, status=ContentStatus.HELD)
    viewer = make_person(viewer_kind)
    join_family(viewer, viewer_kind, parent, sub)
    page, api = Client(), Client()
    if viewer is not None:
        page.force_login(viewer)
        if viewer.is_staff_member:
            api = Client(HTTP_AUTHORIZATION=f"Bearer {make_key(viewer)}")
        else:
            api.force_login(viewer)
    thread = page.get(reverse("content:post-detail", args=[post.pk]))
    api_post = api.get(f"/api/posts/{post.pk}")
    reads = viewer_kind in {"space_moderator"} | MODERATING_STAFF
    assert (thread.status_code, api_post.status_code) == (
        (200, 200) if reads else (404, 401 if viewer is None else 404)
    )
    assert (SUB_TITLE in shown_text(thread)) == reads


# --- a thread the viewer may not read ----------------------------------------------------
# A thread in a space whose content is hidden from the viewer answers exactly as a thread
# that does not exist (404, no space named), in the pages and the API, as Discourse does
# for a topic in a category one cannot see; the space's own page keeps its sign-in and
# apply-to-read face. Both ids are asked by the same client, so only the id differs.

THREAD_PATHS: list[tuple[str, Callable[[int], str]]] = [
    ("thread", lambda pk: reverse("content:post-detail", args=[pk])),
    ("edit", lambda pk: reverse("content:post-edit", args=[pk])),
    ("history", lambda pk: reverse("content:post-history", args=[pk])),
    ("api-post", lambda pk: f"/api/posts/{pk}"),
    ("api-answers", lambda pk: f"/api/posts/{pk}/answers"),
]
THREAD_POSTS: list[tuple[str, Callable[[int], str]]] = [
    ("answer", lambda pk: reverse("content:answer-create", args=[pk])),
    ("comment", lambda pk: reverse("content:comment-create", args=[pk])),
]
HIDDEN_SUBGROUPS = [
    (family, viewer_kind)
    for family in FAMILIES
    if not family.archived
    for viewer_kind in SUBGROUP_VIEWERS
    if viewer_kind not in reads_subgroup(family)
]


def without_csrf_tokens(body: str) -> str:
    """Every rendering masks the CSRF token afresh; nothing else may differ."""
    return re.sub(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[A-Za-z0-9]+', r"\1", body)


def assert_answers_like_a_missing_thread(client: Client, post: Post, names: list[str]) -> None:
    missing = Post.objects.order_by("-pk").values_list("pk", flat=True)[0] + 1000
    for label, path in THREAD_PATHS:
        hidden, absent = client.get(path(post.pk)), client.get(path(missing))
        assert hidden.status_code == absent.status_code, label
        assert hidden.status_code in (401, 404), label
        # The page links back to its own address (the language switcher's "next").
        assert without_csrf_tokens(hidden.content.decode()).replace(
            path(post.pk), "<path>"
        ) == without_csrf_tokens(absent.content.decode()).replace(path(missing), "<path>"), label
        assert [name for name in names if name in hidden.content.decode()] == [], label
    for label, path in THREAD_POSTS:
        form = {"body": "読めないはずの投稿への回答です"}
        hidden, absent = client.post(path(post.pk), form), client.post(path(missing), form)
        assert (hidden.status_code, absent.status_code) == (404, 404), label
    assert not post.answers.exists() and not post.comments.exists()


@pytest.mark.parametrize(("viewer_kind", "access_type"), DENIED_READERS)
def test_hidden_thread_answers_like_a_missing_one(viewer_kind: str, access_type: str) -> None:
    space = build_space(access_type)
    post = PostFactory(space=space, title=SUB_TITLE)
    viewer = make_viewer(viewer_kind, space)
    client = Client()
    if viewer is not None:
        client.force_login(viewer)
    assert_answers_like_a_missing_thread(client, post, [SPACE_NAME, PURPOSE, SUB_TITLE])


@pytest.mark.parametrize(
    ("family", "viewer_kind"),
    HIDDEN_SUBGROUPS,
    ids=lambda v: v.name if isinstance(v, Family) else v,
)
def test_hidden_subgroup_thread_answers_like_a_missing_one(
    family: Family, viewer_kind: str
) -> None:
    parent, sub = build_family(family, "hidden")
    post = PostFactory(space=sub, title=SUB_TITLE)
    viewer = make_person(viewer_kind)
    join_family(viewer, viewer_kind, parent, sub)
    client = Client()
    if viewer is not None:
        client.force_login(viewer)
    assert_answers_like_a_missing_thread(client, post, [parent.name, sub.name, SUB_TITLE])
