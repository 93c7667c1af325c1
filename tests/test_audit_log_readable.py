"""The audit log reads as sentences a person understands, and leaves as a CSV file."""

import csv
import io

import pytest
from django.http import StreamingHttpResponse
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from kizuna.badges.tests.factories import BadgeFactory
from kizuna.core import audit_labels
from kizuna.core.audit import record_audit
from kizuna.core.models import AuditEntry
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import MemberFactory, StaffFactory
from kizuna.spaces.tests.factories import SpaceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
URL = reverse("staff:staff-audit-log")


@pytest.fixture
def moderator(client: Client) -> Member:
    staff: Member = StaffFactory(staff_role="moderator", display_name="Mori Staff")
    client.force_login(staff)
    return staff


def page_html(client: Client, **params: str) -> str:
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


def csv_rows(client: Client, **params: str) -> list[list[str]]:
    response = client.get(URL, {**params, "export": "csv"})
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="audit-log-')
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff"), "Excel needs the BOM to read UTF-8"
    return list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))


def test_actions_are_named_in_words_not_codes(client: Client, moderator: Member) -> None:
    record_audit(actor=moderator, action="staff_role.changed", target=MemberFactory())
    html = page_html(client)
    assert "Staff role changed" in html
    assert ">staff_role.changed<" not in html


def test_the_action_filter_lists_actions_in_words(client: Client, moderator: Member) -> None:
    record_audit(actor=moderator, action="space.archived", target=SpaceFactory())
    assert '<option value="space.archived">Space archived</option>' in page_html(client)


def test_a_target_that_exists_is_named_and_linked(client: Client, moderator: Member) -> None:
    space = SpaceFactory(name="Logistics DX", slug="logistics-dx")
    record_audit(actor=moderator, action="space.updated", target=space)
    html = page_html(client)
    assert (
        f'<a href="{reverse("spaces:space-detail", args=["logistics-dx"])}">Logistics DX</a>'
        in html
    )


def test_a_target_is_called_by_the_name_its_pages_show(client: Client, moderator: Member) -> None:
    badge = BadgeFactory(slug="kind-helper", name_en="Kind helper")
    record_audit(actor=moderator, action="badges.awarded", target=badge)
    html = page_html(client)
    assert f'<a href="{reverse("badges:badge-detail", args=[badge.slug])}">Kind helper</a>' in html


def test_a_target_deleted_since_keeps_its_name_without_a_link(
    client: Client, moderator: Member
) -> None:
    gone = MemberFactory(display_name="Former Member")
    record_audit(actor=moderator, action="moderation.warn", target=gone)
    profile = reverse("identity:member-profile", args=[gone.pk])
    gone.delete()
    html = page_html(client)
    assert "Former Member" in html
    assert "(deleted)" in html
    assert profile not in html


def test_members_named_by_id_in_the_details_are_shown_by_name(
    client: Client, moderator: Member
) -> None:
    first = MemberFactory(display_name="Winner One")
    second = MemberFactory(display_name="Winner Two")
    record_audit(
        actor=moderator,
        action="contests.announced",
        target=SpaceFactory(),
        details={"winners": [first.pk, second.pk], "points_per_winner": 300},
    )
    html = page_html(client)
    for winner in (first, second):
        url = reverse("identity:member-profile", args=[winner.pk])
        assert f'<a href="{url}">{winner.display_name}</a>' in html
    assert "Points per winner:</span> 300" in html
    assert f"{first.pk}, {second.pk}" not in html


def test_a_member_gone_from_the_details_keeps_the_name_recorded_then(
    client: Client, moderator: Member
) -> None:
    record_audit(
        actor=moderator,
        action="account.member_unlinked",
        target=SpaceFactory(),
        details={"member_id": 987654, "member": "Recorded Name"},
    )
    html = page_html(client)
    assert "Recorded Name" in html
    assert "#987654" not in html


def test_changes_are_shown_as_before_and_after(client: Client, moderator: Member) -> None:
    record_audit(
        actor=moderator,
        action="gamification.point_rule_changed",
        target=SpaceFactory(),
        details={
            "before": {"points": 5, "daily_cap": 50, "is_active": True},
            "after": {"points": 10, "daily_cap": 50, "is_active": True},
        },
    )
    html = page_html(client)
    assert "Points:</span> 5 → 10" in html
    assert "Daily cap" not in html, "only what changed is listed"


def test_filters_are_kept_on_the_next_page_and_in_the_export_link(
    client: Client, moderator: Member
) -> None:
    target = MemberFactory()
    AuditEntry.objects.bulk_create(
        AuditEntry(
            actor=moderator,
            action="badges.awarded",
            target_type="identity.member",
            target_id=str(target.pk),
            target_label=str(target),
        )
        for _ in range(51)
    )
    html = page_html(client, action="badges.awarded")
    assert 'href="?action=badges.awarded&amp;page=2"' in html
    html = page_html(client, action="badges.awarded", page="2")
    assert 'href="?action=badges.awarded&amp;export=csv"' in html


def test_the_export_has_every_matching_entry_in_words(
    client: Client, moderator: Member, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Read in chunks of two, so the five matching rows need three reads.
    monkeypatch.setattr(audit_labels, "CSV_CHUNK", 2)
    target = MemberFactory(display_name="Hanako")
    for number in range(5):
        record_audit(
            actor=moderator, action="badges.awarded", target=target, reason=f"reason {number}"
        )
    record_audit(actor=moderator, action="space.archived", target=SpaceFactory())
    rows = csv_rows(client, action="badges.awarded")
    header, entries = rows[0], rows[1:]
    assert header[:4] == ["When", "Who", "Email", "Action"]
    assert len(entries) == 5
    assert [row[8] for row in entries] == [f"reason {n}" for n in (4, 3, 2, 1, 0)]
    first = entries[0]
    assert first[1:8] == [
        "Mori Staff",
        moderator.email,
        "Badge awarded",
        "badges.awarded",
        "Member",
        str(target.pk),
        "Hanako",
    ]


def test_the_export_cannot_smuggle_a_spreadsheet_formula(client: Client, moderator: Member) -> None:
    record_audit(
        actor=moderator,
        action="moderation.warn",
        target=MemberFactory(display_name="=HYPERLINK(1)"),
        reason="=cmd|' /C calc'!A0",
    )
    row = csv_rows(client)[1]
    assert row[7] == "'=HYPERLINK(1)"
    assert row[8].startswith("'=cmd")


def test_the_export_needs_the_audit_log_capability(client: Client) -> None:
    record_audit(actor=None, action="space.archived", target=SpaceFactory())
    client.force_login(StaffFactory(staff_role="sales"))
    assert client.get(URL, {"export": "csv"}).status_code == 403


def test_naming_targets_costs_one_query_per_kind_of_object(
    client: Client, moderator: Member, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    for _ in range(3):
        record_audit(actor=moderator, action="space.updated", target=SpaceFactory())
        record_audit(
            actor=moderator,
            action="badges.awarded",
            target=MemberFactory(),
            details={"member_id": MemberFactory().pk},
        )
    # session, member, TOTP check, filter menus (2), count, page, spaces, members
    with django_assert_num_queries(9):
        page_html(client)
