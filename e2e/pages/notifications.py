from playwright.sync_api import Locator

from e2e.pages.base import BasePage


class NotificationListPage(BasePage):
    """The member's notifications, newest first, each opening what it is about."""

    path = "/notifications/"

    @property
    def items(self) -> Locator:
        return self.main.locator("li.notification-item")

    def item_about(self, text: str) -> Locator:
        return self.items.filter(has_text=text)

    @property
    def bell_count(self) -> Locator:
        return self.page.locator("#notification-bell .notification-count")

    def open_item(self, text: str) -> None:
        self.item_about(text).locator(".notification-body a").click()


class NotificationPreferencesPage(BasePage):
    """One email channel per kind of notification."""

    path = "/notifications/preferences/"

    def channel(self, kind: str, value: str) -> Locator:
        return self.main.locator(f'input[name="{kind}"][value="{value}"]')
