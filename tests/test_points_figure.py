"""One points figure: a member's lifetime points read the same on every page and API answer.

The member earns points in an open and a private space, loses one award to a reversal, gets
migrated credit as a staff adjustment and spends some on a reward. Their profile, their
recognition page, the all-time leaderboard, the directory and the recognition API must all
show `get_lifetime_points`, whoever looks; only boards of a month say something else, and
they say so.
"""

import re

import pytest
from django.contrib.humanize.templatetags.humanize import intcomma
from django.test import Client
from django.urls import reverse

from kizuna.customers.tests.factories import make_customer
from kizuna.gamification.selectors import get_balance, get_lifetime_points
from kizuna.gamification.services import (
    AwardContext,
    adjust_points,
    award_points,
    reverse_award,
    spend_points,
)
from kizuna.identity.models import ApiKey, Member
from kizuna.identity.services import generate_api_key_secret
from kizuna.identity.tests.factories import MemberFactory, StaffFactory
from kizuna.spaces.models import AccessType, Space
from kizuna.spaces.tests.factories import MembershipFactory, SpaceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

SUBJECT = "Figure Subject"
STAFF = "Busy Staff Member"
# 50 + 5 + 15 − 15 + 1,200: earned in the open, in private, reversed, and migrated.
LIFETIME = 1255
ROW = "<tr>"
CARD = '<li class="card directory-card">'


def _award(member: Member, key: str, rule_key: str, space: Space | None = None) -> None:
    award_points(
        member=member,
        rule_key=rule_key,
        source=None,
        idempotency_key=key,
        context=AwardContext(space_id=None if space is None else space.pk),
    )


@pytest.fixture
def subject() -> Member:
    private = SpaceFactory(access_type=AccessType.APPLICATION)
    member = make_customer(display_name=SUBJECT)
    MembershipFactory(space=private, member=member)
    manager = StaffFactory(staff_role="community_manager", listed_in_directory=False)
    _award(member, "spoke", "event_spoke")
    _award(member, "answered", "answered", private)
    _award(member, "accepted", "answer_accepted")
    reverse_award(idempotency_key="accepted", reason="answer no longer accepted")
    adjust_points(
        actor=manager, member=member, amount=1200, idempotency_key="migrated", reason="migrated"
    )
    spend_points(member=member, amount=100, idempotency_key="mug", source=member, reason="mug")
    # Staff with more points than anyone, whom the member boards leave off.
    staff = StaffFactory(staff_role="csm", display_name=STAFF)
    adjust_points(actor=manager, member=staff, amount=5000, idempotency_key="s", reason="x")
    _award(MemberFactory(display_name="Runner Up"), "runner", "event_spoke")
    return member


def _signed_in(member: Member) -> Client:
    client = Client()
    client.force_login(member)
    return client


def _staff_api() -> Client:
    prefix, secret = generate_api_key_secret()
    ApiKey.objects.create(
        name="crm",
        prefix=prefix,
        key_hash=ApiKey.hash_secret(secret),
        scopes=[ApiKey.Scope.RECOGNITION_READ],
        created_by=StaffFactory(staff_role="csm", listed_in_directory=False),
    )
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def _shown(html: str, pattern: str) -> str:
    found = re.findall(pattern, html, flags=re.DOTALL)
    assert len(found) == 1, f"{pattern!r} found {len(found)} times"
    return str(found[0])


def _row_of(html: str, opener: str, member: Member) -> str:
    """The leaderboard row or directory card (from `opener` to the next) linking to the member."""
    link = f'href="{reverse("identity:member-profile", args=[member.pk])}"'
    rows = [chunk for chunk in html.split(opener)[1:] if link in chunk]
    assert len(rows) == 1
    return rows[0]


def test_every_page_and_api_answer_shows_the_one_lifetime_figure(subject: Member) -> None:
    figure = get_lifetime_points(subject)
    assert figure == LIFETIME and get_balance(subject) == LIFETIME - 100
    outsider = _signed_in(MemberFactory())
    staff_api = _staff_api()

    profile = outsider.get(reverse("identity:member-profile", args=[subject.pk])).content.decode()
    recognition = _signed_in(subject).get(reverse("gamification:my-recognition")).content.decode()
    board = outsider.get(reverse("gamification:leaderboard")).content.decode()
    directory = outsider.get(reverse("directory:directory")).content.decode()
    me = _signed_in(subject).get("/api/recognition/me").json()
    summary = staff_api.get(f"/api/recognition/members/{subject.pk}").json()
    balances = staff_api.get("/api/recognition/balances", {"member_id": subject.pk}).json()
    api_board = outsider.get("/api/recognition/leaderboard").json()

    shown = {
        "profile": _shown(profile, r'class="recognition-points">([^<]*)<'),
        "recognition page": _shown(recognition, r'class="recognition-points">([^<]*)<'),
        "leaderboard": _shown(_row_of(board, ROW, subject), r'leaderboard-points">([^<]*)<'),
        "directory": _shown(_row_of(directory, CARD, subject), r'directory-points">([\d,]+) '),
    }
    assert shown == dict.fromkeys(shown, intcomma(figure))
    answers = {
        "api me": me["lifetime_points"],
        "api member summary": summary["lifetime_points"],
        "api balances": balances["items"][0]["lifetime_points"],
        "api leaderboard": api_board["items"][0]["points"],
    }
    assert answers == dict.fromkeys(answers, figure)
    assert api_board["items"][0]["member"]["id"] == subject.pk
    for html in (profile, recognition, board):
        assert "Lifetime points" in html


def test_staff_are_left_off_the_member_boards(subject: Member) -> None:
    board = _signed_in(MemberFactory()).get(reverse("gamification:leaderboard")).content.decode()
    api_board = _signed_in(MemberFactory()).get("/api/recognition/leaderboard").json()

    assert STAFF not in board and SUBJECT in board
    assert "Community team members are not ranked." in board
    assert [row["member"]["name"] for row in api_board["items"]] == [SUBJECT, "Runner Up"]


def test_this_months_board_counts_what_was_earned_and_says_so(subject: Member) -> None:
    # Seen from outside the private space: the open award, and the accepted answer taken back.
    html = (
        _signed_in(MemberFactory())
        .get(reverse("gamification:leaderboard"), {"period": "month"})
        .content.decode()
    )

    assert "Points this month" in html and "Lifetime points" not in html.split("<table", 1)[1]
    assert _shown(_row_of(html, ROW, subject), r'leaderboard-points">([^<]*)<') == "50"
