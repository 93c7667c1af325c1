"""The home page: what each person sees first, and the links to their next step."""

from playwright.sync_api import Locator

from e2e.pages.base import BasePage


class HomePage(BasePage):
    path = "/"

    def card(self, heading_id: str) -> Locator:
        return self.main.locator(f'section[aria-labelledby="{heading_id}"]')

    @property
    def open_spaces(self) -> Locator:
        return self.card("open-spaces-title").locator(".home-space a.home-item-title")

    @property
    def how_to_join(self) -> Locator:
        return self.card("how-to-join-title")

    @property
    def become_customer(self) -> Locator:
        return self.card("become-customer-title")

    @property
    def questions(self) -> Locator:
        return self.card("questions-title").locator("a.home-item-title")

    @property
    def feed(self) -> Locator:
        return self.main.locator("#home-feed a.home-item-title")

    @property
    def level(self) -> Locator:
        return self.card("progress-title")

    @property
    def work(self) -> Locator:
        return self.card("work-title")

    def queue_link(self, href: str) -> Locator:
        return self.work.locator(f'a[href="{href}"]')
