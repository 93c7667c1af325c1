"""Customer-success pages for staff: CRM import, touch tiers, the plays queue, the Customer 360.

Elements are found by form field names, URLs and the ids and classes the templates give
them, so the journeys read the same whichever language the page is shown in.
"""

from typing import Self

from django.urls import reverse
from playwright.sync_api import Locator, Page

from e2e.pages.base import BasePage


class CrmUploadPage(BasePage):
    def __init__(self, page: Page) -> None:
        super().__init__(page)
        self.path = reverse("crm:import-new")

    @property
    def form(self) -> Locator:
        return self.main.locator('form[enctype="multipart/form-data"]')

    def upload(self, *, file_name: str, data: bytes, kind: str = "accounts") -> None:
        self.form.locator(f'input[name="kind"][value="{kind}"]').check()
        self.form.locator('input[name="file"]').set_input_files(
            files=[{"name": file_name, "mimeType": "text/csv", "buffer": data}]
        )
        self.form.locator('button[type="submit"]').click()


class CrmMappingPage(BasePage):
    """The column matching: one select per column of the file, suggested from its headers."""

    def column(self, index: int) -> Locator:
        return self.main.locator(f'select[name="column_{index}"]')

    def check_every_row(self) -> None:
        self.main.locator('form[method="post"] button[type="submit"]').click()


class CrmPreviewPage(BasePage):
    """The preview: rejected rows by line, or the counts and the import button; then progress."""

    @property
    def error_rows(self) -> Locator:
        return self.main.locator("table.crm-table tbody tr")

    @property
    def counts(self) -> Locator:
        return self.main.locator("ul.crm-counts")

    def count(self, kind: str) -> Locator:
        return self.counts.locator(f"li.crm-count-{kind} strong")

    @property
    def upload_fixed_file(self) -> Locator:
        return self.main.locator(f'a[href^="{reverse("crm:import-new")}"]').first

    @property
    def import_button(self) -> Locator:
        return self.main.locator("form.crm-run button[type='submit']")

    @property
    def progress(self) -> Locator:
        return self.main.locator("#crm-progress")


class TierSettingsPage(BasePage):
    def __init__(self, page: Page) -> None:
        super().__init__(page)
        self.path = reverse("customers:tier-settings")

    def active_accounts(self, tier: str) -> Locator:
        """The saved bands' count of active accounts in `tier` (high, low, tech)."""
        row = self.main.locator("#tier-preview table tbody tr").filter(
            has=self.page.locator(f"span.tier-{tier}")
        )
        return row.locator("td").first


class PlayQueuePage(BasePage):
    def __init__(self, page: Page) -> None:
        super().__init__(page)
        self.path = reverse("plays:queue")

    def open_everyones(self) -> Self:
        self.page.goto(f"{self.path}?owner=anyone&status=open")
        return self

    @property
    def cards(self) -> Locator:
        return self.main.locator("li.play-card")

    def card_for(self, account_name: str) -> Locator:
        return self.cards.filter(has=self.page.get_by_role("link", name=account_name, exact=True))

    def mark_done(self, card: Locator) -> None:
        card.locator('form[action$="/done/"] button[type="submit"]').click()

    def snooze(self, card: Locator, until: str) -> None:
        card.locator("details.success-action").first.locator("summary").click()
        card.locator('input[name="until"]').fill(until)
        card.locator('form[action$="/snooze/"] button[type="submit"]').click()


class PlayRulesPage(BasePage):
    def __init__(self, page: Page) -> None:
        super().__init__(page)
        self.path = reverse("plays:rules")

    def evaluate_now(self) -> None:
        self.main.locator(f'form[action="{reverse("plays:evaluate")}"] button').click()


class Account360Page(BasePage):
    def __init__(self, page: Page, account_pk: int) -> None:
        super().__init__(page)
        self.path = reverse("success:account-360", args=[account_pk])

    @property
    def economics(self) -> Locator:
        return self.main.locator("dl[data-economics]")

    @property
    def members_table(self) -> Locator:
        return self.main.locator("section[aria-labelledby='c360-members'] table")

    def activity_in_week(self, monday: str) -> Locator:
        """The data table's count of actions for the week starting `monday` (YYYY-MM-DD)."""
        row = self.main.locator(".c360-chart-table tbody tr").filter(
            has=self.page.locator(f'time[datetime="{monday}"]')
        )
        return row.locator("td.numeric")
