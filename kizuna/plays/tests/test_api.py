"""The plays API: scoped keys, who may read and work plays and rules, and the same refusals in
words as the pages."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from kizuna.core.models import AuditEntry
from kizuna.customers.models import TouchTier
from kizuna.customers.tests.factories import CustomerAccountFactory, make_customer
from kizuna.identity.models import ApiKey, Member
from kizuna.identity.tests.factories import StaffFactory
from kizuna.plays.models import Play, PlayStatus
from kizuna.plays.tests.factories import PlayFactory, rule
from tests.api.conftest import ApiClient, make_key

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


def key_client(member: Member, scopes: list[str] | None = None) -> ApiClient:
    return ApiClient(Client(), {"HTTP_AUTHORIZATION": f"Bearer {make_key(member, scopes)}"})


def staff(role: str, **fields: object) -> Member:
    member: Member = StaffFactory(staff_role=role, **fields)
    return member


def test_a_csm_lists_plays_with_their_reason_and_filters() -> None:
    csm = staff("csm")
    play = PlayFactory(
        account=CustomerAccountFactory(
            name="株式会社アクメ", csm_owner=csm, touch_tier=TouchTier.HIGH
        )
    )
    PlayFactory(account=CustomerAccountFactory(touch_tier=TouchTier.LOW))
    api = key_client(csm, [ApiKey.Scope.SUCCESS_READ])

    body = api.get("/api/plays", owner="me").json()

    assert body["count"] == 1
    [item] = body["items"]
    assert item["id"] == play.pk
    assert item["account"] == {
        "id": play.account_id,
        "name": "株式会社アクメ",
        "touch_tier": "high",
    }
    assert item["rule"]["kind"] == "no_ambassador"
    assert item["reason"] == "High touch account, but no member is in the ambassador programme"
    assert item["owner"] == {"id": csm.pk, "name": csm.name}
    assert api.get("/api/plays").json()["count"] == 2
    assert api.get("/api/plays", tier="low").json()["count"] == 1
    assert api.get("/api/plays", status="closed").json()["count"] == 0
    assert api.get("/api/plays", owner="somebody").status_code == 422


@pytest.mark.parametrize("role", ["marketing", "community_manager", "moderator"])
def test_staff_without_plays_or_economics_get_403_everywhere(role: str) -> None:
    play = PlayFactory()
    api = key_client(staff(role))
    assert api.get("/api/plays").status_code == 403
    assert api.post(f"/api/plays/{play.pk}/done").status_code == 403
    assert api.get("/api/play-rules").status_code == 403
    assert (
        api.patch(f"/api/play-rules/{rule('no_ambassador').pk}", {"enabled": False}).status_code
        == 403
    )
    assert Play.objects.get().status == PlayStatus.OPEN


def test_a_member_session_gets_403() -> None:
    client = Client()
    client.force_login(make_customer())
    assert ApiClient(client).get("/api/plays").status_code == 403


def test_a_key_without_the_success_scopes_is_refused() -> None:
    play = PlayFactory()
    api = key_client(staff("csm"), [ApiKey.Scope.ACCOUNTS_READ])
    assert api.get("/api/plays").json()["error"]["code"] == "missing_scope"
    assert api.post(f"/api/plays/{play.pk}/done").status_code == 403


def test_done_snooze_and_dismiss_through_the_api() -> None:
    csm = staff("csm")
    api = key_client(csm)
    done, snoozed, dismissed = PlayFactory(), PlayFactory(), PlayFactory()
    until = timezone.localdate() + 14 * DAY

    assert api.post(f"/api/plays/{done.pk}/done").json()["status"] == "done"
    body = api.post(f"/api/plays/{snoozed.pk}/snooze", {"until": until.isoformat()}).json()
    assert (body["status"], body["snoozed_until"]) == ("snoozed", until.isoformat())
    body = api.post(f"/api/plays/{dismissed.pk}/dismiss", {"reason": "窓口変更のため"}).json()
    assert (body["status"], body["dismiss_reason"], body["closed_by"]["id"]) == (
        "dismissed",
        "窓口変更のため",
        csm.pk,
    )
    assert AuditEntry.objects.filter(action__startswith="plays.").count() == 3


def test_refusals_answer_in_words_and_change_nothing() -> None:
    api = key_client(staff("csm"))
    play = PlayFactory()
    past = api.post(f"/api/plays/{play.pk}/snooze", {"until": timezone.localdate().isoformat()})
    assert past.status_code == 422
    assert past.json()["error"]["fields"]["until"] == ["Choose a date after today."]
    empty = api.post(f"/api/plays/{play.pk}/dismiss", {"reason": "  "})
    assert empty.status_code == 422
    assert empty.json()["error"]["fields"]["reason"] == ["Say why this play is dismissed."]
    api.post(f"/api/plays/{play.pk}/done")
    again = api.post(f"/api/plays/{play.pk}/done")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "closed"
    assert api.post("/api/plays/999999/done").status_code == 404
    assert AuditEntry.objects.filter(action__startswith="plays.").count() == 1


def test_sales_read_plays_but_cannot_work_them() -> None:
    play = PlayFactory()
    api = key_client(staff("sales"))
    assert api.get("/api/plays").json()["count"] == 1
    assert api.post(f"/api/plays/{play.pk}/done").status_code == 403


def test_rules_are_listed_and_patched_by_those_who_configure_them() -> None:
    api = key_client(staff("csm"))
    body = api.get("/api/play-rules").json()
    assert [item["kind"] for item in body["items"]] == [
        "no_ambassador",
        "no_recent_event",
        "contacts_not_joined",
        "champion_inactive",
        "renewal_engagement_falling",
    ]
    renewal = body["items"][4]
    assert (renewal["days"], renewal["window_days"], renewal["percentage"], renewal["tier"]) == (
        90,
        30,
        25,
        None,
    )
    assert renewal["thresholds"] == ["days", "window_days", "percentage"]
    contacts = rule("contacts_not_joined")
    patched = api.patch(f"/api/play-rules/{contacts.pk}", {"percentage": 30, "tier": ""}).json()
    assert (patched["percentage"], patched["tier"]) == (30, None)
    cleared = api.patch(f"/api/play-rules/{contacts.pk}", {"percentage": None}).json()
    assert cleared["percentage"] is None
    refused = api.patch(f"/api/play-rules/{contacts.pk}", {"days": 10})
    assert refused.status_code == 422
    assert refused.json()["error"]["fields"]["days"] == [
        "This kind of play does not use this setting."
    ]
    assert api.patch("/api/play-rules/999999", {"enabled": False}).status_code == 404


def test_sales_cannot_read_or_change_the_rules() -> None:
    api = key_client(staff("sales"))
    assert api.get("/api/play-rules").status_code == 403
