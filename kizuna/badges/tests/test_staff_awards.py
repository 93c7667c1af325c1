import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kizuna.badges import services
from kizuna.badges.models import BadgeAward, BadgeKind
from kizuna.badges.tests.factories import BadgeAwardFactory, BadgeFactory
from kizuna.core.models import AuditEntry
from kizuna.identity.tests.factories import MemberFactory, StaffFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

URL = reverse("badges:badge-manage")


def test_community_manager_awards_a_badge_with_a_reason() -> None:
    actor = StaffFactory(staff_role="community_manager")
    badge, member = BadgeFactory(), MemberFactory()
    award = services.award_badge(actor=actor, badge=badge, member=member, reason="  登壇お礼 ")
    assert (award.awarded_by, award.reason) == (actor, "登壇お礼")
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.reason) == ("badges.awarded", actor, "登壇お礼")
    assert entry.details == {"member_id": member.pk}


def test_revoke_deletes_the_award_and_is_audited() -> None:
    actor = StaffFactory()
    award = BadgeAwardFactory()
    services.revoke_badge(actor=actor, badge=award.badge, member=award.member, reason="誤って付与")
    assert not BadgeAward.objects.exists()
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.reason) == ("badges.revoked", "誤って付与")


@pytest.mark.parametrize("role", ["moderator", "csm", "sales"])
def test_staff_without_manage_spaces_cannot_award(role: str) -> None:
    with pytest.raises(PermissionDenied):
        services.award_badge(
            actor=StaffFactory(staff_role=role),
            badge=BadgeFactory(),
            member=MemberFactory(),
            reason="r",
        )
    assert not BadgeAward.objects.exists()
    assert not AuditEntry.objects.exists()


def test_award_needs_a_reason_and_a_staff_awarded_badge() -> None:
    actor, member = StaffFactory(), MemberFactory()
    with pytest.raises(ValidationError):
        services.award_badge(actor=actor, badge=BadgeFactory(), member=member, reason="  ")
    automatic = BadgeFactory(kind=BadgeKind.AUTOMATIC, criterion="first_answer")
    with pytest.raises(ValidationError):
        services.award_badge(actor=actor, badge=automatic, member=member, reason="r")
    assert not BadgeAward.objects.exists()
    assert not AuditEntry.objects.exists()


def test_awarding_twice_is_refused() -> None:
    actor, award = StaffFactory(), BadgeAwardFactory()
    with pytest.raises(ValidationError):
        services.award_badge(actor=actor, badge=award.badge, member=award.member, reason="r")
    assert BadgeAward.objects.count() == 1
    assert not AuditEntry.objects.exists()


def test_automatic_badges_cannot_be_revoked() -> None:
    badge = BadgeFactory(kind=BadgeKind.AUTOMATIC, criterion="first_answer")
    award = BadgeAwardFactory(badge=badge)
    with pytest.raises(ValidationError):
        services.revoke_badge(actor=StaffFactory(), badge=badge, member=award.member, reason="r")
    assert BadgeAward.objects.count() == 1


def test_manage_page_awards_and_redirects(client: Client) -> None:
    client.force_login(StaffFactory(staff_role="community_manager"))
    badge, member = BadgeFactory(), MemberFactory()
    response = client.get(URL)
    assert response.status_code == 200
    assert "No badge has been awarded by staff yet." in response.content.decode()
    response = client.post(
        URL, {"badge": badge.pk, "email": member.email, "reason": "貢献", "operation": "award"}
    )
    assert response.status_code == 302
    assert BadgeAward.objects.filter(badge=badge, member=member, reason="貢献").exists()
    assert member.email in client.get(URL).content.decode()


def test_manage_page_revokes(client: Client) -> None:
    client.force_login(StaffFactory())
    award = BadgeAwardFactory()
    response = client.post(
        URL,
        {
            "badge": award.badge.pk,
            "email": award.member.email,
            "reason": "取り消し",
            "operation": "revoke",
        },
    )
    assert response.status_code == 302
    assert not BadgeAward.objects.exists()
    assert AuditEntry.objects.get().action == "badges.revoked"


def test_manage_page_shows_errors_without_changing_anything(client: Client) -> None:
    client.force_login(StaffFactory())
    award = BadgeAwardFactory()
    response = client.post(
        URL,
        {"badge": award.badge.pk, "email": award.member.email, "reason": "r", "operation": "award"},
    )
    assert response.status_code == 400
    assert "This member already holds this badge." in response.content.decode()
    assert BadgeAward.objects.count() == 1
    assert not AuditEntry.objects.exists()


def test_manage_page_is_denied_to_staff_without_manage_spaces(client: Client) -> None:
    client.force_login(StaffFactory(staff_role="moderator"))
    badge, member = BadgeFactory(), MemberFactory()
    assert client.get(URL).status_code == 403
    response = client.post(
        URL, {"badge": badge.pk, "email": member.email, "reason": "r", "operation": "award"}
    )
    assert response.status_code == 403
    assert not BadgeAward.objects.exists()
    assert not AuditEntry.objects.exists()


def test_manage_page_is_denied_to_members(client: Client) -> None:
    client.force_login(MemberFactory())
    assert client.get(URL).status_code == 403


def test_manage_page_query_count_does_not_grow_with_awards(client: Client) -> None:

    client.force_login(StaffFactory())
    badge = BadgeFactory()
    BadgeAwardFactory(badge=badge, awarded_by=StaffFactory())
    with CaptureQueriesContext(connection) as one:
        client.get(URL)
    for _ in range(5):
        BadgeAwardFactory(badge=badge, awarded_by=StaffFactory())
    with CaptureQueriesContext(connection) as six:
        client.get(URL)
    assert len(six) == len(one)


def test_badge_list_offers_the_manage_link_only_to_badge_managers(client: Client) -> None:
    client.force_login(StaffFactory(staff_role="community_manager"))
    assert URL in client.get(reverse("badges:badge-list")).content.decode()
    client.force_login(StaffFactory(staff_role="moderator"))
    assert URL not in client.get(reverse("badges:badge-list")).content.decode()
