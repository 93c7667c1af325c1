"""A member hears about their new level, a badge and a staff decision on their reward."""

import re

from playwright.sync_api import Page, expect

from e2e.conftest import Screenshot
from e2e.pages import LoginPage
from e2e.pages.notifications import NotificationListPage, NotificationPreferencesPage
from kizuna.badges.services import award_badge
from kizuna.badges.tests.factories import BadgeFactory
from kizuna.gamification.services import adjust_points
from kizuna.identity.tests.factories import MemberFactory, StaffFactory
from kizuna.rewards.services import redeem_reward, reject_redemption
from kizuna.rewards.tests.factories import RewardFactory

PASSWORD = "correct horse battery staple"


def test_a_member_sees_their_recognition_notices_and_follows_one_to_their_redemptions(
    page: Page, screenshot: Screenshot
) -> None:
    member = MemberFactory(display_name="伊藤 さくら")
    staff = StaffFactory(staff_role="community_manager", display_name="運営 たなか")
    adjust_points(actor=staff, member=member, amount=620, idempotency_key="e2e", reason="seed")
    award_badge(
        actor=staff,
        badge=BadgeFactory(name_ja="頼れる先輩", name_en="Helping hand", slug="helping-hand"),
        member=member,
        reason="大阪ミートアップの運営",
    )
    reward = RewardFactory(name="コーヒーチケット", cost_points=120, requires_approval=True)
    redemption = redeem_reward(member=member, reward=reward, idempotency_key="e2e-1")
    reject_redemption(actor=staff, redemption=redemption, reason="今月分の在庫がありません")

    LoginPage(page).open_and_sign_in(email=member.email, password=PASSWORD)
    notifications = NotificationListPage(page).open()
    expect(notifications.bell_count).to_contain_text("3")
    expect(notifications.items).to_have_count(3)
    expect(notifications.item_about("ゴールド")).to_be_visible()
    expect(notifications.item_about("頼れる先輩")).to_contain_text("大阪ミートアップの運営")
    expect(notifications.item_about("コーヒーチケット")).to_contain_text("今月分の在庫がありません")
    screenshot(page, "notifications-recognition")

    notifications.open_item("コーヒーチケット")
    expect(page).to_have_url(re.compile(r"/rewards/mine/$"))


def test_a_member_chooses_how_recognition_notices_are_emailed(
    page: Page, screenshot: Screenshot
) -> None:
    member = MemberFactory()
    LoginPage(page).open_and_sign_in(email=member.email, password=PASSWORD)
    preferences = NotificationPreferencesPage(page).open()
    expect(preferences.channel("level_up", "immediate")).to_be_checked()
    expect(preferences.channel("badge_earned", "daily_digest")).to_be_checked()
    expect(preferences.channel("redemption", "immediate")).to_be_checked()
    preferences.channel("badge_earned", "off").check()
    screenshot(page, "notification-preferences-recognition")
    preferences.main.locator('button[type="submit"]').click()
    expect(preferences.channel("badge_earned", "off")).to_be_checked()
    assert member.notification_preferences.get(kind="badge_earned").email == "off"
