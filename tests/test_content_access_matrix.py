"""Every surface that shows content × every kind of viewer × every kind of space (S1, S2).

Each space (open, application, private, a sub-group either way round, an archived one) holds
a question, an answer, a comment, an attachment, a knowledge article and a description, each
carrying a marker nobody else's text contains; every viewer bookmarked every post and has a
notice of it. A viewer who may read the space must see the marker on each surface (thread,
histories, feed, attachment, search, similar questions, mentions, knowledge, the author's
profile, bookmarks, notices, the content and spaces API); anyone else must not find any of
the space's markers in the response, whatever its status, and no response is a server error.
Who reads what is written out by hand from S1 below rather than asked of the policy modules,
so a change to them that lets the wrong person in (or keeps the right one out) fails here.

The world is built once for the module inside a transaction rolled back at its end; each
test runs in a savepoint of it, so what a request writes (views, sessions) is undone.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoDbBlocker
from pytest_django.fixtures import Settings

from kizuna.content.attachments import add_attachment
from kizuna.content.models import Bookmark, Post, Revision
from kizuna.content.tests.engagement_factories import KnowledgeArticleFactory
from kizuna.content.tests.factories import AnswerFactory, CommentFactory, PostFactory
from kizuna.customers.tests.factories import make_customer
from kizuna.identity.models import Member
from kizuna.identity.roles import StaffRole
from kizuna.identity.tests.factories import MemberFactory, StaffFactory
from kizuna.notifications.models import Notification, NotificationKind
from kizuna.search.indexing import index_post
from kizuna.spaces.models import AccessType, Space, SpaceRole
from kizuna.spaces.tests.factories import MembershipFactory, SpaceFactory
from tests.api.conftest import make_key

pytestmark = pytest.mark.django_db

# ------------------------------------------------------------------ who reads what (S1)

ALL_STAFF = {f"staff_{role}" for role in StaffRole.values}
MANAGING_STAFF = {"staff_administrator", "staff_community_manager"}
IN_SPACE = {"member", "host", "space_moderator"}  # the space's roles (S1: host, moderator, member)
VIEWERS = ["anonymous", "non_customer", "customer", *sorted(IN_SPACE), *sorted(ALL_STAFF)]

# Open: anyone reads. Application: its members (and staff, who see every space).
# Private: members linked to a customer account in good standing, and its members.
READERS: dict[str, set[str]] = {
    AccessType.OPEN: set(VIEWERS),
    AccessType.APPLICATION: IN_SPACE | ALL_STAFF,
    AccessType.PRIVATE: IN_SPACE | {"customer"} | ALL_STAFF,
}


@dataclass(frozen=True)
class Place:
    """A space, or a sub-group of a parent space, or an archived space, with content in it."""

    code: str
    access_type: str
    parent_type: str | None = None
    is_archived: bool = False

    def marker(self, kind: str) -> str:
        # Dashes delimit the code, so no place's marker is part of another's.
        return f"ZQ-{self.code}-{kind}-QZ"


PLACES = [
    Place("OPEN", AccessType.OPEN),
    Place("APPLICATION", AccessType.APPLICATION),
    Place("PRIVATE", AccessType.PRIVATE),
    Place("PRIVATEINOPEN", AccessType.PRIVATE, parent_type=AccessType.OPEN),
    Place("OPENINPRIVATE", AccessType.OPEN, parent_type=AccessType.PRIVATE),
    Place("ARCHIVED", AccessType.OPEN, is_archived=True),
]


def readers(place: Place) -> set[str]:
    """A sub-group needs its own rule and its parent's (S1); an archived space is read only by
    the staff who manage spaces (as tests/test_authorization_matrix.py holds)."""
    if place.is_archived:
        return MANAGING_STAFF
    own = READERS[place.access_type]
    return own if place.parent_type is None else own & READERS[place.parent_type]


# ------------------------------------------------------------------ the world


@dataclass(frozen=True)
class Content:
    place: Place
    space: Space
    post_id: int
    answer_id: int
    attachment_id: int
    article_id: int
    author_id: int


@dataclass(frozen=True)
class Browsing:
    """A kind of viewer's browser, and the client it calls the API with."""

    page: Client
    api: Client


@dataclass(frozen=True)
class World:
    content: dict[str, Content]
    viewers: dict[str, Browsing]
    members: dict[str, Member]


def _make_viewer(kind: str) -> Member:
    if kind == "non_customer":
        return MemberFactory()
    if kind.startswith("staff_"):
        return StaffFactory(staff_role=kind.removeprefix("staff_"))
    return make_customer()


def _join(viewers: dict[str, Member], space: Space, *, as_member_only: bool = False) -> None:
    """The space's own people: a member, a host and a moderator (members only in a parent)."""
    roles = {
        "member": SpaceRole.MEMBER,
        "host": SpaceRole.HOST,
        "space_moderator": SpaceRole.MODERATOR,
    }
    for kind, role in roles.items():
        MembershipFactory(
            space=space, member=viewers[kind], role=SpaceRole.MEMBER if as_member_only else role
        )


def _build_place(place: Place, viewers: dict[str, Member]) -> Content:
    author = make_customer(display_name=place.marker("AUTHOR"))
    parent = None
    if place.parent_type is not None:
        parent = SpaceFactory(access_type=place.parent_type, slug=f"parent-{place.code.lower()}")
        _join(viewers, parent, as_member_only=True)
        MembershipFactory(space=parent, member=author)
    space = SpaceFactory(
        access_type=place.access_type,
        parent=parent,
        slug=f"matrix-{place.code.lower()}",
        description=place.marker("DESCRIPTION"),
    )
    _join(viewers, space)
    MembershipFactory(space=space, member=author)
    post = PostFactory(
        space=space,
        author=author,
        title=f"請求書の手順 {place.marker('POST')}",
        body=place.marker("BODY"),
    )
    answer = AnswerFactory(post=post, author=author, body=place.marker("ANSWER"))
    # An edit, so the answer's history shows its text.
    Revision.objects.create(answer=answer, editor=author, body="最初の回答")
    CommentFactory(post=post, author=author, body=place.marker("COMMENT"))
    attachment = add_attachment(
        uploader=author,
        post=post,
        upload=SimpleUploadedFile(
            f"{place.marker('FILENAME')}.pdf", f"%PDF-1.7 {place.marker('FILE')}".encode()
        ),
    )
    article = KnowledgeArticleFactory(
        space=space, title=place.marker("KNOWLEDGE"), body=place.marker("KNOWLEDGE")
    )
    index_post(post.pk)
    if place.is_archived:
        Space.objects.filter(pk=space.pk).update(archived_at=timezone.now())
    return Content(place, space, post.pk, answer.pk, attachment.pk, article.pk, author.pk)


def _bookmark_and_notify_everyone(viewers: dict[str, Member], content: dict[str, Content]) -> None:
    """Every viewer bookmarked every post and was told of it, as if each had read it before
    losing access (or the notice went out before the space was closed)."""
    posts = Post.objects.filter(pk__in=[c.post_id for c in content.values()])
    for viewer in viewers.values():
        Bookmark.objects.bulk_create(Bookmark(member=viewer, post=post) for post in posts)
        Notification.objects.bulk_create(
            Notification(
                recipient=viewer,
                kind=NotificationKind.FOLLOWED,
                actor_id=post.author_id,
                post=post,
                target_type="post",
                target_id=post.pk,
            )
            for post in posts
        )


def _browsing(viewer: Member | None) -> Browsing:
    page = Client()
    if viewer is None:
        return Browsing(page, page)
    page.force_login(viewer)
    if viewer.is_staff_member:
        # Staff call the API with a key: their browser session needs two-factor first.
        return Browsing(page, Client(HTTP_AUTHORIZATION=f"Bearer {make_key(viewer)}"))
    return Browsing(page, page)


@pytest.fixture(scope="module")
def media_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("matrix-media")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Settings, media_root: Path) -> None:
    """The module's attachments live in one folder for all its tests (the root conftest's
    fixture of the same name would give each test an empty one)."""
    settings.MEDIA_ROOT = str(media_root)


@pytest.fixture(scope="module")
def world(
    django_db_setup: None, django_db_blocker: DjangoDbBlocker, media_root: Path
) -> Iterator[World]:
    media = override_settings(MEDIA_ROOT=str(media_root))
    with media, django_db_blocker.unblock(), transaction.atomic():
        viewers = {kind: _make_viewer(kind) for kind in VIEWERS if kind != "anonymous"}
        content = {place.code: _build_place(place, viewers) for place in PLACES}
        _bookmark_and_notify_everyone(viewers, content)
        browsing = {kind: _browsing(viewers.get(kind)) for kind in VIEWERS}
        yield World(content, browsing, viewers)
        transaction.set_rollback(True)


# ------------------------------------------------------------------ the surfaces


@dataclass(frozen=True)
class Request:
    """One request a viewer makes against a place; `url_name` is the pattern it asks."""

    url_name: str
    send: Callable[[Client, Content], Any]
    is_api: bool = False
    # The author's own profile names them to every signed-in member: their name is no secret.
    is_authors_profile: bool = False


def _by_post(url_name: str) -> Request:
    return Request(url_name, lambda c, w: c.get(reverse(url_name, args=[w.post_id])))


def _by_space(url_name: str, **headers: str) -> Request:
    return Request(url_name, lambda c, w: c.get(reverse(url_name, args=[w.space.slug]), **headers))


def _api(url_name: str, key: str) -> Request:
    def send(client: Client, content: Content) -> Any:
        value = content.space.slug if key == "slug" else content.post_id
        return client.get(reverse(url_name, kwargs={key: value}))

    return Request(url_name, send, is_api=True)


SEARCH_WORD = "請求書"  # in every place's question title

REQUESTS = {
    "thread": _by_post("content:post-detail"),
    "post-history": _by_post("content:post-history"),
    "answer-history": Request(
        "content:answer-history",
        lambda c, w: c.get(reverse("content:answer-history", args=[w.answer_id])),
    ),
    "feed": _by_space("content:space-feed"),
    "feed-fragment": _by_space("content:space-feed", HTTP_HX_REQUEST="true"),
    "attachment": Request(
        "content:attachment-download",
        lambda c, w: c.get(reverse("content:attachment-download", args=[w.attachment_id])),
    ),
    # Similar questions are asked within the place's space: the answer holds five at most.
    "similar-questions": Request(
        "search:similar-questions",
        lambda c, w: c.get(
            reverse("search:similar-questions"), {"title": SEARCH_WORD, "space": w.space.pk}
        ),
    ),
    "mention-suggestions": Request(
        "content:mention-suggestions",
        lambda c, w: c.get(
            reverse("content:mention-suggestions", args=[w.space.slug]),
            # Not the whole marker: a denied page may echo its own address.
            {"q": w.place.marker("AUTHOR")[:-4]},
        ),
    ),
    "space-knowledge": _by_space("engagement:space-knowledge"),
    "author-profile": Request(
        "identity:member-profile",
        lambda c, w: c.get(reverse("identity:member-profile", args=[w.author_id])),
        is_authors_profile=True,
    ),
    "author-contributions": Request(
        "directory:member-contributions",
        lambda c, w: c.get(reverse("directory:member-contributions", args=[w.author_id])),
        is_authors_profile=True,
    ),
    "knowledge-article": Request(
        "engagement:knowledge-article",
        lambda c, w: c.get(reverse("engagement:knowledge-article", args=[w.article_id])),
    ),
    "api-space-posts": _api("api:list_space_posts", "slug"),
    "api-post": _api("api:get_post", "post_id"),
    "api-answers": _api("api:list_answers", "post_id"),
    "api-comments": _api("api:list_comments", "post_id"),
    "api-space": _api("api:get_space", "slug"),
}

# What each surface must show, and the request that shows it.
SURFACES: dict[str, tuple[str, str]] = {
    "thread": ("thread", "POST"),
    "thread-body": ("thread", "BODY"),
    "thread-answer": ("thread", "ANSWER"),
    "thread-comment": ("thread", "COMMENT"),
    "thread-attachment": ("thread", "FILENAME"),
    "thread-author": ("thread", "AUTHOR"),
    "post-history": ("post-history", "POST"),
    "answer-history": ("answer-history", "ANSWER"),
    "feed": ("feed", "POST"),
    "feed-fragment": ("feed-fragment", "POST"),
    "attachment": ("attachment", "FILE"),
    "similar-questions": ("similar-questions", "POST"),
    "mention-suggestions": ("mention-suggestions", "AUTHOR"),
    "space-knowledge": ("space-knowledge", "KNOWLEDGE"),
    "knowledge-article": ("knowledge-article", "KNOWLEDGE"),
    "author-profile": ("author-profile", "POST"),
    "author-contributions": ("author-contributions", "POST"),
    "api-space-posts": ("api-space-posts", "POST"),
    "api-post": ("api-post", "BODY"),
    "api-answers": ("api-answers", "ANSWER"),
    "api-comments": ("api-comments", "COMMENT"),
    "api-space": ("api-space", "DESCRIPTION"),
}
MARKERS = sorted({marker for _, marker in SURFACES.values()})

# Search, bookmarks, notices, spaces and the unanswered queue cover every place at once,
# so each is asked once per viewer.
ACROSS_PLACES = {
    "search": Request(
        "search:search", lambda c, w: c.get(reverse("search:search"), {"q": SEARCH_WORD})
    ),
    "search-fragment": Request(
        "search:search",
        lambda c, w: c.get(reverse("search:search"), {"q": SEARCH_WORD}, HTTP_HX_REQUEST="true"),
    ),
    "api-search": Request(
        "api:search", lambda c, w: c.get(reverse("api:search"), {"q": SEARCH_WORD}), is_api=True
    ),
    "bookmarks": Request(
        "engagement:bookmarks", lambda c, w: c.get(reverse("engagement:bookmarks"))
    ),
    "api-bookmarks": Request(
        "api:list_bookmarks", lambda c, w: c.get(reverse("api:list_bookmarks")), is_api=True
    ),
    "notifications": Request(
        "notifications:notification-list",
        lambda c, w: c.get(reverse("notifications:notification-list")),
    ),
    "api-notifications": Request(
        "api:list_notifications", lambda c, w: c.get(reverse("api:list_notifications")), is_api=True
    ),
    "api-spaces": Request(
        "api:list_spaces", lambda c, w: c.get(reverse("api:list_spaces")), is_api=True
    ),
    "unanswered": Request(
        "engagement:unanswered", lambda c, w: c.get(reverse("engagement:unanswered"))
    ),
    "api-unanswered": Request(
        "api:list_unanswered_questions",
        lambda c, w: c.get(reverse("api:list_unanswered_questions")),
        is_api=True,
    ),
}

NOTICE_OPEN = "notifications:notification-open"  # asked per place by its own test, below

# The URL patterns this matrix asks, for tests/test_url_coverage.py.
EXERCISED_URL_NAMES = frozenset(
    {request.url_name for request in [*REQUESTS.values(), *ACROSS_PLACES.values()]} | {NOTICE_OPEN}
)


def expected(viewer_kind: str, place: Place) -> dict[str, bool]:
    """Which surfaces show the place's content: its readers', except that the API, profiles
    (S4) and the composer's mention suggestions need a signed-in member (or a key), and an
    archived space, where nobody posts, offers nobody to mention."""
    reads = viewer_kind in readers(place)
    signed_in = viewer_kind != "anonymous"
    shown = dict.fromkeys(SURFACES, reads)
    for name, (request, _) in SURFACES.items():
        if REQUESTS[request].is_api or REQUESTS[request].is_authors_profile:
            shown[name] = reads and signed_in
    shown["mention-suggestions"] = reads and signed_in and not place.is_archived
    return shown


def body_of(response: Any) -> str:
    """What the viewer received, with search's highlighting taken out."""
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return str(raw.decode(errors="replace").replace("<mark>", "").replace("</mark>", ""))


@pytest.mark.parametrize("place", PLACES, ids=lambda p: p.code.lower())
@pytest.mark.parametrize("viewer_kind", VIEWERS)
def test_content_reaches_exactly_its_readers(world: World, viewer_kind: str, place: Place) -> None:
    content = world.content[place.code]
    browsing = world.viewers[viewer_kind]
    statuses: dict[str, int] = {}
    bodies: dict[str, str] = {}
    for name, request in REQUESTS.items():
        response = request.send(browsing.api if request.is_api else browsing.page, content)
        statuses[name], bodies[name] = response.status_code, body_of(response)
    assert {name: status for name, status in statuses.items() if status >= 500} == {}
    shown = {
        surface: statuses[request] == 200 and place.marker(marker) in bodies[request]
        for surface, (request, marker) in SURFACES.items()
    }
    assert shown == expected(viewer_kind, place), statuses
    if viewer_kind not in readers(place):
        leaks = {
            name: [
                place.marker(m)
                for m in MARKERS
                if place.marker(m) in body
                and not (m == "AUTHOR" and REQUESTS[name].is_authors_profile)
            ]
            for name, body in bodies.items()
        }
        assert {name: found for name, found in leaks.items() if found} == {}


@pytest.mark.parametrize("viewer_kind", VIEWERS)
def test_lists_across_spaces_show_exactly_the_places_the_viewer_reads(
    world: World, viewer_kind: str
) -> None:
    browsing = world.viewers[viewer_kind]
    reads = {place.code for place in PLACES if viewer_kind in readers(place)}
    hidden = [place for place in PLACES if place.code not in reads]
    any_content = next(iter(world.content.values()))  # these requests name no place
    found: dict[str, set[str]] = {}
    for name, request in ACROSS_PLACES.items():
        response = request.send(browsing.api if request.is_api else browsing.page, any_content)
        body = body_of(response)
        assert response.status_code < 500, name
        assert [p.marker(m) for p in hidden for m in MARKERS if p.marker(m) in body] == [], name
        # A list of spaces shows what each is about; the others, the posts.
        marker = "DESCRIPTION" if name == "api-spaces" else "POST"
        found[name] = {
            place.code
            for place in PLACES
            if response.status_code == 200 and place.marker(marker) in body
        }
    signed_in_reads = reads if viewer_kind != "anonymous" else set()
    # The unanswered queue is for CSMs (every staff role sees customer data) and the leaders
    # of a space (S2), over the live spaces they read.
    keeps_queue = viewer_kind in ALL_STAFF | {"host", "space_moderator"}
    in_queue = {p.code for p in PLACES if p.code in reads and keeps_queue and not p.is_archived}
    assert found == {
        "search": reads,
        "search-fragment": reads,
        "api-search": signed_in_reads,
        "bookmarks": signed_in_reads,
        "api-bookmarks": signed_in_reads,
        "notifications": signed_in_reads,
        "api-notifications": signed_in_reads,
        "api-spaces": signed_in_reads,
        "unanswered": in_queue,
        "api-unanswered": in_queue,
    }


@pytest.mark.parametrize("viewer_kind", [kind for kind in VIEWERS if kind != "anonymous"])
def test_opening_a_notice_leads_to_its_post_only_for_readers(
    world: World, viewer_kind: str
) -> None:
    page = world.viewers[viewer_kind].page
    leads_to_post: dict[str, bool] = {}
    for place in PLACES:
        content = world.content[place.code]
        notice = Notification.objects.get(
            recipient=world.members[viewer_kind], post_id=content.post_id
        )
        response = page.get(reverse(NOTICE_OPEN, args=[notice.pk]))
        assert response.status_code == 302, place.code
        post_path = reverse("content:post-detail", args=[content.post_id])
        leads_to_post[place.code] = response["Location"].startswith(post_path)
    assert leads_to_post == {place.code: viewer_kind in readers(place) for place in PLACES}
