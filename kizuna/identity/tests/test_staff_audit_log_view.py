import datetime
import zoneinfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from kizuna.core.audit import record_audit
from kizuna.core.models import AuditEntry
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import MemberFactory, StaffFactory

pytestmark = pytest.mark.django_db
URL = reverse("staff:staff-audit-log")


@pytest.fixture
def moderator(client: Client) -> Member:
    staff: Member = StaffFactory(staff_role="moderator", email="mod@vendor.example.jp")
    client.force_login(staff)
    return staff


def entry(
    actor: Member, action: str, target: Member, *, days_ago: int = 0, reason: str = ""
) -> AuditEntry:
    created = record_audit(
        actor=actor, action=action, target=target, reason=reason, details={"k": "v"}
    )
    AuditEntry.objects.filter(pk=created.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=days_ago)
    )
    return created


def listed(client: Client, **params: str) -> list[AuditEntry]:
    response = client.get(URL, params)
    assert response.status_code == 200
    return list(response.context["page"].object_list)


def test_shows_newest_first_with_reason_and_details(client: Client, moderator: Member) -> None:
    target = MemberFactory()
    old = entry(moderator, "staff_role.changed", target, days_ago=3, reason="昇格")
    new = entry(moderator, "account.member_linked", target, reason="個人アドレス")
    response = client.get(URL)
    assert list(response.context["page"].object_list) == [new, old]
    content = response.content.decode()
    assert "昇格" in content and "個人アドレス" in content


def test_filters_by_action_actor_and_target_type(client: Client, moderator: Member) -> None:
    other_staff = StaffFactory(email="csm@vendor.example.jp", display_name="CSM 佐藤")
    target = MemberFactory()
    role_change = entry(moderator, "staff_role.changed", target)
    link = entry(other_staff, "account.member_linked", target)
    assert listed(client, action="staff_role.changed") == [role_change]
    assert listed(client, actor="csm@") == [link]
    assert listed(client, actor="佐藤") == [link]
    assert set(listed(client, target_type="identity.member")) == {role_change, link}


def test_filters_by_date_range_inclusive_of_both_days(client: Client, moderator: Member) -> None:
    target = MemberFactory()
    ten_days = entry(moderator, "a.one", target, days_ago=10)
    five_days = entry(moderator, "a.two", target, days_ago=5)
    today = entry(moderator, "a.three", target)
    # Days are the viewer's days, in their own time zone.
    local_today = timezone.localdate(timezone=zoneinfo.ZoneInfo(moderator.time_zone))
    since = (local_today - datetime.timedelta(days=6)).isoformat()
    assert listed(client, since=since) == [today, five_days]
    until = (local_today - datetime.timedelta(days=5)).isoformat()
    assert listed(client, until=until) == [five_days, ten_days]


def test_end_before_start_is_a_field_error(client: Client, moderator: Member) -> None:
    response = client.get(URL, {"since": "2026-05-10", "until": "2026-05-01"})
    assert "until" in response.context["form"].errors


def test_unknown_action_filter_is_an_error_not_a_crash(client: Client, moderator: Member) -> None:
    entry(moderator, "a.one", MemberFactory())
    response = client.get(URL, {"action": "nope", "since": "not-a-date"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"action", "since"}


def test_empty_log_shows_an_empty_state(client: Client, moderator: Member) -> None:
    assert "empty-state" in client.get(URL).content.decode()


def test_list_is_paginated_with_constant_queries(
    client: Client, moderator: Member, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    target = MemberFactory()
    entry(moderator, "a.one", target)
    # session, member, TOTP check, filter menus (2), count, page, the targets named (one kind)
    with django_assert_num_queries(8):
        client.get(URL)
    for n in range(60):
        entry(StaffFactory(with_mfa=False), f"a.{n % 3}", target)
    with django_assert_num_queries(8):
        response = client.get(URL)
    assert len(response.context["page"].object_list) == 50
    assert response.context["page"].paginator.num_pages == 2


def test_staff_without_read_audit_log_are_refused(client: Client) -> None:
    client.force_login(StaffFactory(staff_role="sales"))
    assert client.get(URL).status_code == 403


def test_a_reader_without_economics_sees_who_set_a_tier_but_not_the_tier_or_the_reason(
    client: Client, moderator: Member
) -> None:
    csm = StaffFactory(staff_role="csm")
    target = MemberFactory()
    record_audit(
        actor=csm,
        action="account.tier_set",
        target=target,
        reason="ARR 98,765,432円の重要顧客",
        details={"tier": "high", "previous_tier": "tech"},
    )
    page = client.get(URL).content.decode()
    export = b"".join(client.get(URL, {"export": "csv"}).streaming_content).decode()
    for text in (page, export):
        assert "98,765,432" not in text
        assert '"high"' not in text
    assert str(csm) in page


def test_a_reader_granted_economics_sees_the_tiers_reason(
    client: Client, moderator: Member
) -> None:
    moderator.granted_capabilities = ["view_account_economics"]
    moderator.save()
    record_audit(
        actor=moderator,
        action="account.tier_set",
        target=MemberFactory(),
        reason="ARR 98,765,432円の重要顧客",
    )
    assert "98,765,432" in client.get(URL).content.decode()
