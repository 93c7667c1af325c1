"""Recognition and rewards: my points and level, a question thread's answer and accept
buttons, the rewards catalogue, my redemptions and the staff redemption queue.

Rows and states are found by their classes and form actions, which stay the same whichever
language the page is shown in.
"""

from playwright.sync_api import Locator, Page, expect

from e2e.pages.base import BasePage


class MyRecognitionPage(BasePage):
    path = "/recognition/me/"

    @property
    def points(self) -> Locator:
        """Points earned: what the level is measured on."""
        return self.main.locator(".recognition-points")

    @property
    def progress_bar(self) -> Locator:
        return self.main.get_by_role("progressbar")

    @property
    def ledger_rows(self) -> Locator:
        return self.main.locator("table.ledger-history tbody tr")


class QuestionThreadPage(BasePage):
    def __init__(self, page: Page, path: str) -> None:
        super().__init__(page)
        self.path = path

    @property
    def answers(self) -> Locator:
        return self.page.locator("#answers article.answer")

    def answer(self, body: str) -> None:
        self.page.locator('#answer-form textarea[name="body"]').fill(body)
        self.page.locator('#answer-form button[type="submit"]').click()

    def accept_button(self, answer: Locator) -> Locator:
        return answer.locator('.engagement-button.accept form[action$="/accept/"] button')

    def accepted_mark(self, answer: Locator) -> Locator:
        return answer.locator(".engagement-button.accept .badge-solved")


class RewardsCatalogPage(BasePage):
    path = "/rewards/"

    @property
    def balance(self) -> Locator:
        return self.main.locator(".rewards-balance strong")

    def reward_card(self, name: str) -> Locator:
        return self.main.locator("li.reward-card").filter(
            has=self.page.locator("h2.reward-name", has_text=name)
        )

    def redeem(self, name: str) -> None:
        """Open the reward's confirm step and spend the points."""
        self.reward_card(name).locator('a[href$="/redeem/"]').click()
        confirm = self.main.locator(".reward-confirm form")
        expect(confirm).to_be_visible()
        confirm.locator('button[type="submit"]').click()


class MyRedemptionsPage(BasePage):
    path = "/rewards/mine/"

    def row(self, reward_name: str) -> Locator:
        return self.main.locator("tr.redemption").filter(has_text=reward_name)


class RedemptionQueuePage(BasePage):
    """The staff queue; it opens on the redemptions waiting for a decision."""

    path = "/rewards/manage/redemptions/"

    @property
    def items(self) -> Locator:
        return self.main.locator("#redemption-queue li.redemption")

    def item(self, member_name: str) -> Locator:
        return self.items.filter(has_text=member_name)

    @property
    def status_filter(self) -> Locator:
        return self.main.locator('form.filters select[name="status"]')

    def show_status(self, status: str) -> None:
        self.status_filter.select_option(status)
        self.page.wait_for_url(f"**status={status}**")

    def _decide(self, member_name: str, action: str, text: str = "") -> None:
        item = self.item(member_name)
        if text:
            item.locator('textarea[name="text"]').fill(text)
        item.locator(f'button[formaction$="/{action}/"]').click()

    def approve(self, member_name: str) -> None:
        self._decide(member_name, "approve")

    def fulfil(self, member_name: str, note: str) -> None:
        self._decide(member_name, "fulfil", note)
