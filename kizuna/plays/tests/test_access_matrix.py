"""Who reaches each page and API operation of plays and the ambassador roster.

Viewers: anonymous, a customer (member), every staff role, and a marketer granted customer
economics. Allowed viewers get the page or the write (checked in the database); the others get
the sign-in redirect (anonymous pages), 401 (anonymous API), or 403, and nothing is written.
`EXERCISED_URL_NAMES` is what tests/test_url_coverage.py credits to this matrix.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kizuna.ambassadors.models import Ambassador
from kizuna.ambassadors.tests.factories import AmbassadorFactory
from kizuna.customers.models import TouchTier
from kizuna.customers.tests.factories import CustomerAccountFactory, make_customer
from kizuna.identity.models import Member
from kizuna.identity.roles import StaffRole
from kizuna.identity.tests.factories import MemberFactory, StaffFactory
from kizuna.plays.models import Play, PlayRule, PlayStatus
from kizuna.plays.tests.factories import PlayFactory, only_rules, rule
from tests.api.conftest import ApiClient, make_key

pytestmark = pytest.mark.django_db

ANONYMOUS = "anonymous"
CUSTOMER = "customer"
GRANTED_MARKETER = "marketing+economics"
VIEWERS = [ANONYMOUS, CUSTOMER, *StaffRole.values, GRANTED_MARKETER]

SEES_PLAYS = {"administrator", "csm", "sales", "executive", GRANTED_MARKETER}
WORKS_PLAYS = {"administrator", "csm"}
CONFIGURES_RULES = {"administrator", "csm"}
SEES_ROSTER = {*StaffRole.values, GRANTED_MARKETER}
MANAGES_ROSTER = {"administrator", "csm"}


def viewer(kind: str) -> Member | None:
    if kind == ANONYMOUS:
        return None
    if kind == CUSTOMER:
        return make_customer()
    if kind == GRANTED_MARKETER:
        return StaffFactory(staff_role="marketing", granted_capabilities=["view_account_economics"])
    member: Member = StaffFactory(staff_role=kind)
    return member


@dataclass(frozen=True)
class Case:
    """One page or operation: how to call it, who may, and how to tell it did what it says."""

    allowed: set[str]
    call: Callable[[Client | ApiClient], int]
    wrote: Callable[[], bool] = lambda: True


def _new_play() -> Play:
    play: Play = PlayFactory(account=CustomerAccountFactory(touch_tier=TouchTier.HIGH))
    return play


def _status(play: Play) -> str:
    play.refresh_from_db()
    return play.status


def page_cases() -> dict[str, Callable[[], Case]]:
    def queue() -> Case:
        return Case(SEES_PLAYS, lambda c: c.get(reverse("plays:queue")).status_code)

    def play_action() -> Case:
        play = _new_play()
        url = reverse("plays:play-action", args=[play.pk, "done"])
        return Case(WORKS_PLAYS, lambda c: c.post(url).status_code, lambda: _status(play) == "done")

    def rules() -> Case:
        return Case(CONFIGURES_RULES, lambda c: c.get(reverse("plays:rules")).status_code)

    def rule_edit() -> Case:
        target = rule("no_ambassador")
        prefix = f"rule-{target.pk}-"
        body = {
            f"{prefix}title": "大口",
            f"{prefix}tier": "high",
            f"{prefix}enabled": "on",
            f"{prefix}cooldown_days": "30",
        }
        url = reverse("plays:rule-edit", args=[target.pk])
        return Case(
            CONFIGURES_RULES,
            lambda c: c.post(url, body).status_code,
            lambda: PlayRule.objects.get(pk=target.pk).title == "大口",
        )

    def evaluate() -> Case:
        only_rules("no_ambassador")
        CustomerAccountFactory(touch_tier=TouchTier.HIGH)
        return Case(
            CONFIGURES_RULES,
            lambda c: c.post(reverse("plays:evaluate")).status_code,
            lambda: Play.objects.exists(),
        )

    def roster() -> Case:
        return Case(SEES_ROSTER, lambda c: c.get(reverse("ambassadors:roster")).status_code)

    def add() -> Case:
        member = MemberFactory()
        return Case(
            MANAGES_ROSTER,
            lambda c: c.post(reverse("ambassadors:add"), {"email": member.email}).status_code,
            lambda: Ambassador.objects.filter(member=member).exists(),
        )

    def retire() -> Case:
        ambassador = AmbassadorFactory()
        url = reverse("ambassadors:retire", args=[ambassador.pk])
        return Case(
            MANAGES_ROSTER,
            lambda c: c.post(url, {"reason": "退職"}).status_code,
            lambda: Ambassador.objects.get(pk=ambassador.pk).status == "retired",
        )

    return {
        "plays:queue": queue,
        "plays:play-action": play_action,
        "plays:rules": rules,
        "plays:rule-edit": rule_edit,
        "plays:evaluate": evaluate,
        "ambassadors:roster": roster,
        "ambassadors:add": add,
        "ambassadors:retire": retire,
    }


def api_cases() -> dict[str, Callable[[], Case]]:
    until = (timezone.localdate() + dt.timedelta(days=7)).isoformat()

    def list_plays() -> Case:
        return Case(SEES_PLAYS, lambda c: c.get("/api/plays").status_code)

    def acting(name: str, body: dict[str, str] | None, status: str) -> Callable[[], Case]:
        def build() -> Case:
            play = _new_play()
            return Case(
                WORKS_PLAYS,
                lambda c: c.post(f"/api/plays/{play.pk}/{name}", body).status_code,
                lambda: _status(play) == status,
            )

        return build

    def list_rules() -> Case:
        return Case(CONFIGURES_RULES, lambda c: c.get("/api/play-rules").status_code)

    def patch_rule() -> Case:
        target = rule("no_ambassador")
        return Case(
            CONFIGURES_RULES,
            lambda c: c.patch(f"/api/play-rules/{target.pk}", {"cooldown_days": 7}).status_code,
            lambda: PlayRule.objects.get(pk=target.pk).cooldown_days == 7,
        )

    def list_ambassadors() -> Case:
        return Case(SEES_ROSTER, lambda c: c.get("/api/ambassadors").status_code)

    return {
        "api:list_plays": list_plays,
        "api:mark_play_done": acting("done", None, PlayStatus.DONE),
        "api:snooze_play": acting("snooze", {"until": until}, PlayStatus.SNOOZED),
        "api:dismiss_play": acting("dismiss", {"reason": "対応済み"}, PlayStatus.DISMISSED),
        "api:list_play_rules": list_rules,
        "api:update_play_rule": patch_rule,
        "api:list_ambassadors": list_ambassadors,
    }


PAGES = page_cases()
READ_PAGES = {"plays:queue", "plays:rules", "ambassadors:roster"}
API = api_cases()
EXERCISED_URL_NAMES = set(PAGES) | set(API)


@pytest.mark.parametrize("kind", VIEWERS)
@pytest.mark.parametrize("name", sorted(PAGES))
def test_pages(name: str, kind: str) -> None:
    case = PAGES[name]()
    member = viewer(kind)
    client = Client()
    if member is not None:
        client.force_login(member)
    status = case.call(client)
    if kind in case.allowed:
        assert status in {200, 302}, (name, kind, status)
        assert case.wrote(), (name, kind)
    elif kind == ANONYMOUS:
        assert status == 302, (name, kind, status)
        assert not (
            case.wrote() and name not in {"plays:queue", "plays:rules", "ambassadors:roster"}
        )
    else:
        assert status == 403, (name, kind, status)
        if name not in {"plays:queue", "plays:rules", "ambassadors:roster"}:
            assert not case.wrote(), (name, kind)


@pytest.mark.parametrize("kind", VIEWERS)
@pytest.mark.parametrize("name", sorted(API))
def test_api(name: str, kind: str) -> None:
    case = API[name]()
    member = viewer(kind)
    if member is None:
        client = ApiClient(Client())
    elif kind == CUSTOMER:
        session = Client()
        session.force_login(member)
        client = ApiClient(session)
    else:
        client = ApiClient(Client(), {"HTTP_AUTHORIZATION": f"Bearer {make_key(member)}"})
    status = case.call(client)
    reads = name.startswith("api:list_")
    if kind in case.allowed:
        assert status == 200, (name, kind, status)
        assert case.wrote(), (name, kind)
    else:
        assert status == (401 if kind == ANONYMOUS else 403), (name, kind, status)
        if not reads:
            assert not case.wrote(), (name, kind)
