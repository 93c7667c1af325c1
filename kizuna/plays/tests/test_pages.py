"""The play queue and the rules page: who opens them, what they list, and working a play with
HTMX and with plain forms."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kizuna.core.models import AuditEntry
from kizuna.customers.models import TouchTier
from kizuna.customers.tests.factories import CustomerAccountFactory, make_customer
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import StaffFactory
from kizuna.plays.models import Play, PlayRule, PlayStatus
from kizuna.plays.tests.factories import PlayFactory, only_rules, rule

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
QUEUE = reverse("plays:queue")
RULES = reverse("plays:rules")
DAY = dt.timedelta(days=1)


def signed_in(client: Client, role: str, **fields: object) -> Member:
    staff: Member = StaffFactory(staff_role=role, **fields)
    client.force_login(staff)
    return staff


def listed(client: Client, **params: str) -> list[Play]:
    return list(client.get(QUEUE, params).context["page"].object_list)


def action(play: Play, name: str) -> str:
    return reverse("plays:play-action", args=[play.pk, name])


def test_a_csm_sees_their_own_plays_first_and_everyone_s_on_request(client: Client) -> None:
    csm = signed_in(client, "csm")
    colleague = StaffFactory(staff_role="csm")
    mine = PlayFactory(account=CustomerAccountFactory(csm_owner=csm, touch_tier=TouchTier.HIGH))
    theirs = PlayFactory(account=CustomerAccountFactory(csm_owner=colleague))
    PlayFactory(
        account=CustomerAccountFactory(csm_owner=csm),
        status=PlayStatus.DONE,
        closed_at=timezone.now(),
    )
    assert listed(client) == [mine]
    assert set(listed(client, owner="all")) == {mine, theirs}
    assert listed(client, owner=str(colleague.pk)) == [theirs]
    assert len(listed(client, status="done")) == 1
    html = client.get(QUEUE).content.decode()
    assert "High-touch account, but no member is in the ambassador programme" not in html
    assert "High touch account, but no member is in the ambassador programme" in html


def test_an_administrator_sees_every_open_play_and_filters_by_tier_and_rule(client: Client) -> None:
    signed_in(client, "administrator")
    high = PlayFactory(account=CustomerAccountFactory(touch_tier=TouchTier.HIGH))
    low = PlayFactory(
        account=CustomerAccountFactory(touch_tier=TouchTier.LOW),
        rule=rule("no_recent_event"),
        params={"days": 90, "last": None, "any_activity": False},
    )
    assert set(listed(client)) == {high, low}
    assert listed(client, tier="low") == [low]
    assert listed(client, rule=str(rule("no_ambassador").pk)) == [high]


@pytest.mark.parametrize("role", ["marketing", "community_manager", "moderator", "product_manager"])
def test_staff_without_plays_or_economics_cannot_open_the_queue_or_the_rules(
    client: Client, role: str
) -> None:
    signed_in(client, role)
    play = PlayFactory()
    assert client.get(QUEUE).status_code == 403
    assert client.get(RULES).status_code == 403
    assert client.post(action(play, "done")).status_code == 403
    assert Play.objects.get().status == PlayStatus.OPEN


def test_a_marketer_granted_economics_reads_the_queue_but_cannot_work_it(client: Client) -> None:
    signed_in(client, "marketing", granted_capabilities=["view_account_economics"])
    play = PlayFactory()
    response = client.get(QUEUE)
    assert response.status_code == 200
    assert "Mark done" not in response.content.decode()
    assert client.post(action(play, "done")).status_code == 403
    assert client.get(RULES).status_code == 403


def test_sales_read_the_queue_without_the_buttons(client: Client) -> None:
    signed_in(client, "sales")
    PlayFactory()
    html = client.get(QUEUE).content.decode()
    assert "High touch account, but no member is in the ambassador programme" in html
    assert "Mark done" not in html
    assert client.get(RULES).status_code == 403


def test_members_cannot_open_plays(client: Client) -> None:
    client.force_login(make_customer())
    assert client.get(QUEUE).status_code == 403
    assert client.get(RULES).status_code == 403


def test_done_by_htmx_answers_the_card_and_is_audited_on_the_account(client: Client) -> None:
    csm = signed_in(client, "csm")
    play = PlayFactory(account=CustomerAccountFactory(csm_owner=csm))
    response = client.post(action(play, "done"), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="play-{play.pk}"' in html and "<html" not in html
    assert "The play is done." in html
    play.refresh_from_db()
    assert (play.status, play.closed_by) == (PlayStatus.DONE, csm)
    entry = AuditEntry.objects.get(action="plays.done")
    assert (entry.target_type, entry.target_id) == (
        "customers.customeraccount",
        str(play.account_id),
    )
    assert entry.details["play_id"] == play.pk


def test_done_with_a_plain_form_goes_back_to_the_queue_with_its_filters(client: Client) -> None:
    signed_in(client, "administrator")
    play = PlayFactory()
    response = client.post(action(play, "done"), {"query": "owner=all&tier=high"})
    assert response.status_code == 302
    assert response["Location"] == f"{QUEUE}?owner=all&tier=high"


def test_snoozing_needs_a_date_after_today(client: Client) -> None:
    signed_in(client, "csm")
    play = PlayFactory()
    today = timezone.localdate()
    for value in ("", today.isoformat(), "not a date"):
        response = client.post(action(play, "snooze"), {"until": value}, HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        assert (
            'role="alert"' in response.content.decode() or "errorlist" in response.content.decode()
        )
    past = client.post(action(play, "snooze"), {"until": today.isoformat()})
    assert past.status_code == 400
    assert "Choose a date after today." in past.content.decode()
    play.refresh_from_db()
    assert play.status == PlayStatus.OPEN
    assert not AuditEntry.objects.exists()
    client.post(action(play, "snooze"), {"until": (today + 7 * DAY).isoformat()})
    play.refresh_from_db()
    assert (play.status, play.snoozed_until) == (PlayStatus.SNOOZED, today + 7 * DAY)
    assert (
        AuditEntry.objects.get(action="plays.snoozed").details["snoozed_until"]
        == (today + 7 * DAY).isoformat()
    )


def test_dismissing_needs_a_reason(client: Client) -> None:
    csm = signed_in(client, "csm")
    play = PlayFactory()
    missing = client.post(action(play, "dismiss"), {"reason": " "})
    assert missing.status_code == 400
    assert "Say why this play is dismissed." in missing.content.decode()
    client.post(action(play, "dismiss"), {"reason": "先月訪問済み"})
    play.refresh_from_db()
    assert (play.status, play.dismiss_reason, play.closed_by) == ("dismissed", "先月訪問済み", csm)
    assert AuditEntry.objects.get(action="plays.dismissed").reason == "先月訪問済み"


def test_a_closed_play_cannot_be_worked_again(client: Client) -> None:
    signed_in(client, "csm")
    play = PlayFactory(status=PlayStatus.RESOLVED, closed_at=timezone.now())
    response = client.post(action(play, "done"), HTTP_HX_REQUEST="true")
    assert "This play is already closed (Resolved by itself)." in response.content.decode()
    assert Play.objects.get().status == PlayStatus.RESOLVED


def test_an_unknown_action_or_play_is_not_found(client: Client) -> None:
    signed_in(client, "csm")
    play = PlayFactory()
    assert client.post(action(play, "delete")).status_code == 404
    assert client.post(reverse("plays:play-action", args=[play.pk + 1, "done"])).status_code == 404


def test_the_rules_page_edits_thresholds_and_refuses_bad_ones_in_words(client: Client) -> None:
    signed_in(client, "csm")
    champion = rule("champion_inactive")
    url = reverse("plays:rule-edit", args=[champion.pk])
    prefix = f"rule-{champion.pk}-"
    values = {
        f"{prefix}title": "",
        f"{prefix}tier": "high",
        f"{prefix}enabled": "on",
        f"{prefix}days": "45",
        f"{prefix}window_days": "120",
        f"{prefix}minimum": "5",
        f"{prefix}cooldown_days": "14",
    }
    assert client.post(url, values).status_code == 302
    champion.refresh_from_db()
    assert (champion.tier, champion.days, champion.window_days, champion.minimum) == (
        "high",
        45,
        120,
        5,
    )
    entry = AuditEntry.objects.get(action="plays.rule_changed")
    assert entry.details["after"] == {
        "tier": "high",
        "days": 45,
        "window_days": 120,
        "minimum": 5,
        "cooldown_days": 14,
    }
    bad = client.post(url, {**values, f"{prefix}days": "0"})
    assert bad.status_code == 400
    assert "Ensure this value is greater than or equal to 1." in bad.content.decode()
    champion.refresh_from_db()
    assert champion.days == 45


def test_evaluate_now_reports_what_it_did(client: Client) -> None:
    signed_in(client, "administrator")
    only_rules("no_ambassador")
    CustomerAccountFactory(touch_tier=TouchTier.HIGH)
    CustomerAccountFactory(touch_tier=TouchTier.HIGH)
    response = client.post(reverse("plays:evaluate"), follow=True)
    assert "2 plays opened, 0 closed." in response.content.decode()
    assert PlayRule.objects.get(kind="no_ambassador").last_evaluated_at is not None


def test_the_queue_keeps_its_queries_when_plays_grow(client: Client) -> None:
    signed_in(client, "administrator")
    PlayFactory()
    client.get(QUEUE)
    with CaptureQueriesContext(connection) as few:
        client.get(QUEUE)
    for _ in range(10):
        PlayFactory(
            member=make_customer(), account=CustomerAccountFactory(csm_owner=StaffFactory())
        )
    with CaptureQueriesContext(connection) as many:
        client.get(QUEUE)
    assert len(many.captured_queries) == len(few.captured_queries)
