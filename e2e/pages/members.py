from playwright.sync_api import Page

from e2e.pages.base import BasePage


class ProfilePage(BasePage):
    def __init__(self, page: Page, member_pk: int) -> None:
        super().__init__(page)
        self.path = f"/members/{member_pk}/"


class StaffConsolePage(BasePage):
    path = "/staff/"
