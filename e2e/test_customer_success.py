"""Customer success in the browser.

A CSM imports a Salesforce export (Shift_JIS, as Excel in Japan writes it) with one bad row,
reads the row's error by its line, fixes the file and imports it with the progress shown, sees
the accounts per touch tier, evaluates the play rules and works two plays, and opens an
account's Customer 360. Then a customer and a marketing-role staff member walk the pages a
person would and never meet an account's ARR.

Time never passes by waiting and no worker runs beside the live server: Celery is switched
from eager to queued for the import, so the page shows the job running; the test then does
what the worker would (records progress, runs the import task) and the page follows.
"""

import datetime as dt
import re
from collections.abc import Callable, Iterator
from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django import Settings

from config.celery import app as celery_app
from e2e.pages import LoginPage, MfaPage, current_totp_code
from e2e.pages.customer_success import (
    Account360Page,
    CrmMappingPage,
    CrmPreviewPage,
    CrmUploadPage,
    PlayQueuePage,
    PlayRulesPage,
    TierSettingsPage,
)
from kizuna.core.charts import week_start
from kizuna.crm import progress, tasks
from kizuna.crm.models import ImportJob
from kizuna.crm.tests.factories import csv_bytes
from kizuna.customers.models import AccountDomain, CustomerAccount, TouchTier
from kizuna.customers.tests.factories import CustomerAccountFactory, make_customer
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import StaffFactory
from kizuna.plays.models import Play, PlayStatus
from kizuna.plays.tests.factories import PlayFactory, activity, only_rules, rule
from kizuna.segments.services import clean_segment, create_segment

PASSWORD = "correct horse battery staple"
SHOTS = Path("/tmp/shots")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
CSM_EMAIL = "sato@vendor.example.jp"

# The migration that makes the five default play rules; a live-server test starts after
# earlier ones flushed every table, so the rules are made again here.
_default_rules = import_module("kizuna.plays.migrations.0002_default_rules")


@pytest.fixture(autouse=True)
def _play_rules(transactional_db: None) -> None:
    _default_rules.create_default_rules(apps, None)


def shoot(page: Page, name: str) -> None:
    """A full-page screenshot at desktop and at phone width, into /tmp/shots/."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        page.screenshot(path=str(SHOTS / f"e2e-{name}-{label}.png"), full_page=True)
    page.set_viewport_size(DESKTOP)


def sign_in(page: Page, member: Member) -> None:
    LoginPage(page).open_and_sign_in(email=member.email, password=PASSWORD)


def sign_in_staff(page: Page, staff: Member) -> None:
    LoginPage(page).open().sign_in(email=staff.email, password=PASSWORD)
    mfa = MfaPage(page)
    expect(page).to_have_url(mfa.path)
    mfa.enter_code(current_totp_code(staff))
    expect(page).not_to_have_url(re.compile(r"/accounts/2fa/"))


def _job_id(page: Page) -> int:
    match = re.search(r"/crm-imports/(\d+)/", page.url)
    assert match, page.url
    return int(match[1])


# A Salesforce account export with its Japanese headers. The first row is an account Kizuna
# already has (same Salesforce ID): its ARR goes from ¥8,000,000 to ¥24,000,000.
HEADERS = ["取引先 ID", "取引先名", "年間売上", "Web サイト", "業種", "取引先 所有者"]


def export(*, hikari_arr: str) -> bytes:
    rows = [
        [
            "0015g00000KzN01",
            "株式会社ミドリ精機",
            "24,000,000",
            "midori-seiki.co.jp",
            "製造",
            CSM_EMAIL,
        ],
        [
            "0015g00000KzN02",
            "アオバ物産株式会社",
            "15,000,000",
            "aoba-bussan.co.jp",
            "卸売",
            CSM_EMAIL,
        ],
        [
            "0015g00000KzN03",
            "株式会社ヒカリ食品",
            hikari_arr,
            "hikari-foods.co.jp",
            "食品",
            CSM_EMAIL,
        ],
        ["0015g00000KzN04", "ソラ交通株式会社", "1,200,000", "sora-kotsu.co.jp", "運輸", CSM_EMAIL],
        [
            "0015g00000KzN05",
            "株式会社ウミノ設計",
            "600,000",
            "umino-sekkei.co.jp",
            "建設",
            CSM_EMAIL,
        ],
    ]
    return csv_bytes(HEADERS, rows, encoding="shift_jis")


@pytest.fixture
def queued_celery() -> Iterator[None]:
    """Tasks go to the (in-memory) queue instead of running in the request, as in production."""
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    yield
    celery_app.conf.task_always_eager = eager


def test_a_csm_imports_a_crm_export_sees_tiers_works_plays_and_opens_a_customer_360(
    new_page: Callable[..., Page], settings: Settings, request: pytest.FixtureRequest
) -> None:
    settings.MFA_TOTP_TOLERANCE = 1
    csm = StaffFactory(staff_role="csm", email=CSM_EMAIL, display_name="佐藤 花子")
    midori = CustomerAccountFactory(
        name="株式会社ミドリ精機",
        salesforce_id="0015g00000KzN01",
        arr_minor=8_000_000,
        touch_tier=TouchTier.LOW,
        csm_owner=csm,
    )
    AccountDomain.objects.create(account=midori, domain="midori-seiki.co.jp")
    sakura = make_customer(midori, display_name="山本 さくら", email="sakura@midori-seiki.co.jp")
    ken = make_customer(midori, display_name="田中 健", email="ken@midori-seiki.co.jp")
    now = timezone.now()
    for _ in range(3):
        activity(sakura, at=now - dt.timedelta(days=2))
    for _ in range(2):
        activity(ken, at=now - dt.timedelta(days=9))
    only_rules("no_ambassador")

    page = new_page()
    sign_in_staff(page, csm)

    # The export has a figure no one can read as an amount on its third row (line 4).
    CrmUploadPage(page).open().upload(file_name="取引先.csv", data=export(hikari_arr="約360万"))
    expect(page).to_have_url(re.compile(r"/staff/crm-imports/\d+/columns/$"))
    mapping = CrmMappingPage(page)
    expect(mapping.column(0)).to_have_value("salesforce_id")
    expect(mapping.column(2)).to_have_value("arr_minor")
    expect(mapping.column(5)).to_have_value("csm_owner")
    mapping.check_every_row()

    preview = CrmPreviewPage(page)
    expect(preview.error_rows).to_have_count(1)
    cells = preview.error_rows.first.locator("td")
    expect(cells.nth(0)).to_have_text("4")
    expect(cells.nth(1)).to_contain_text("年間売上")
    expect(preview.import_button).to_have_count(0)
    shoot(page, "crm-preview-error")
    # Nothing was written: one account, its ARR as before.
    assert CustomerAccount.objects.count() == 1
    midori.refresh_from_db()
    assert midori.arr_minor == 8_000_000

    # She fixes the file and uploads it again.
    preview.upload_fixed_file.click()
    CrmUploadPage(page).upload(file_name="取引先.csv", data=export(hikari_arr="3,600,000"))
    expect(page).to_have_url(re.compile(r"/columns/$"))
    CrmMappingPage(page).check_every_row()
    expect(preview.count("created")).to_have_text("4")
    expect(preview.count("updated")).to_have_text("1")
    expect(preview.import_button).to_be_visible()
    job_id = _job_id(page)

    # The import is queued; the page shows its progress while the worker writes.
    request.getfixturevalue("queued_celery")
    preview.import_button.click()
    expect(preview.progress).to_be_visible()
    assert ImportJob.objects.get(pk=job_id).status == ImportJob.Status.RUNNING
    progress.record(job_id, "writing", 2, 5)
    expect(preview.progress).to_contain_text("2 / 5")
    expect(preview.progress.locator("progress")).to_have_attribute("value", "2")
    shoot(page, "crm-import-progress")
    tasks.run_import(job_id)  # what the worker does with the queued task

    expect(page).to_have_url(re.compile(rf"/staff/crm-imports/{job_id}/report/$"))
    expect(preview.count("created")).to_have_text("4")
    expect(preview.count("updated")).to_have_text("1")
    assert CustomerAccount.objects.count() == 5
    midori.refresh_from_db()
    assert (midori.arr_minor, midori.touch_tier) == (24_000_000, TouchTier.HIGH)
    shoot(page, "crm-import-report")

    # Tiers by the default bands (high from ¥10,000,000, low from ¥1,200,000): ミドリ and アオバ
    # high, ヒカリ and ソラ (exactly the threshold) low, ウミノ tech.
    tiers = TierSettingsPage(page).open()
    expect(tiers.active_accounts("high")).to_have_text("2")
    expect(tiers.active_accounts("low")).to_have_text("2")
    expect(tiers.active_accounts("tech")).to_have_text("1")
    shoot(page, "tier-settings")

    # Evaluating the rules opens a play for each high-touch account without an ambassador.
    PlayRulesPage(page).open().evaluate_now()
    assert Play.objects.filter(status=PlayStatus.OPEN).count() == 2
    queue = PlayQueuePage(page).open()
    expect(queue.cards).to_have_count(2)
    shoot(page, "plays-queue")
    midori_card = queue.card_for("株式会社ミドリ精機")
    queue.mark_done(midori_card)
    expect(midori_card.locator(".badge.play-done")).to_be_visible()
    aoba_card = queue.card_for("アオバ物産株式会社")
    until = timezone.localdate() + dt.timedelta(days=14)
    queue.snooze(aoba_card, until.isoformat())
    expect(aoba_card.locator(".badge.play-snoozed")).to_be_visible()
    expect(aoba_card).to_contain_text(until.isoformat())
    plays = {play.account.name: play for play in Play.objects.select_related("account")}
    assert plays["株式会社ミドリ精機"].status == PlayStatus.DONE
    assert plays["株式会社ミドリ精機"].closed_by == csm
    assert plays["アオバ物産株式会社"].status == PlayStatus.SNOOZED
    assert plays["アオバ物産株式会社"].snoozed_until == until

    # The Customer 360: the imported ARR, the members, the weekly activity's table.
    c360 = Account360Page(page, midori.pk).open()
    expect(c360.heading).to_contain_text("株式会社ミドリ精機")
    expect(c360.economics).to_contain_text("¥24,000,000")
    expect(c360.members_table).to_contain_text("山本 さくら")
    expect(c360.members_table).to_contain_text("田中 健")
    local = timezone.localdate
    recent = week_start(local(now - dt.timedelta(days=2))).isoformat()
    earlier = week_start(local(now - dt.timedelta(days=9))).isoformat()
    expect(c360.activity_in_week(recent)).to_have_text("3")
    expect(c360.activity_in_week(earlier)).to_have_text("2")
    shoot(page, "customer-360")

    # The segment editor, for the screenshots.
    page.goto(reverse("segments:segment-create"))
    expect(page.locator("main form")).to_be_visible()
    shoot(page, "segment-editor")


# ARR ¥987,654,321: a figure found nowhere else, so its digits on a page can only be the ARR.
ARR = 987_654_321


def _shows_arr(page: Page) -> bool:
    return str(ARR) in page.content().replace(",", "").replace("，", "")


def test_a_customer_and_a_marketer_never_reach_an_accounts_arr(
    new_page: Callable[..., Page], settings: Settings
) -> None:
    settings.MFA_TOTP_TOLERANCE = 1
    admin = StaffFactory(staff_role="administrator")
    csm = StaffFactory(staff_role="csm", display_name="佐藤 花子")
    account = CustomerAccountFactory(
        name="株式会社カナリア商事",
        arr_minor=ARR,
        mrr_minor=ARR // 12,
        touch_tier=TouchTier.HIGH,
        csm_owner=csm,
    )
    customer = make_customer(account, display_name="鈴木 花子", email="hanako@canary-shoji.co.jp")
    marketer = StaffFactory(staff_role="marketing", display_name="広報 太郎")
    PlayFactory(account=account, rule=rule("no_ambassador"))
    segment = create_segment(
        admin,
        clean_segment(
            admin,
            name="大口の顧客",
            description="",
            target="accounts",
            match="all",
            conditions=[{"field": "account.arr", "op": "gte", "value": "1億"}],
        ),
    )
    staff_urls = {
        "account list": reverse("customers:account-list"),
        "account list as CSV": reverse("customers:account-list") + "?export=csv",
        "account": reverse("customers:account-detail", args=[account.pk]),
        "account history": reverse("customers:account-history", args=[account.pk]),
        "account tier": reverse("customers:account-tier", args=[account.pk]),
        "Customer 360": reverse("success:account-360", args=[account.pk]),
        "segments": reverse("segments:segment-list"),
        "ARR segment": reverse("segments:segment-detail", args=[segment.pk]),
        "plays": reverse("plays:queue"),
        "books of business": reverse("customers:book"),
        "CSM's book": reverse("customers:book-of", args=[csm.pk]),
        "touch tiers": reverse("customers:tier-settings"),
        "expansion signals": reverse("success:expansion-signals"),
    }
    member_urls = {
        "home": "/",
        "own profile": reverse("identity:member-profile", args=[customer.pk]),
        "search for the company": reverse("search:search") + "?q=カナリア商事",
        "directory": reverse("directory:directory"),
    }

    # The customer: the member pages open without the figure; no staff page opens at all.
    page = new_page()
    sign_in(page, customer)
    for name, url in member_urls.items():
        response = page.goto(url)
        assert response is not None and response.status == 200, (name, url)
        assert not _shows_arr(page), f"the customer read the ARR on {name} ({url})"
    page.goto(reverse("identity:member-profile", args=[customer.pk]))
    expect(page.locator("main")).to_contain_text("鈴木 花子")
    for name, url in staff_urls.items():
        if url.endswith("?export=csv"):
            continue  # a download, not a page; the first URL already answered 403
        response = page.goto(url)
        assert response is not None and response.status in (403, 404), (name, url)
        assert not _shows_arr(page), f"the customer read the ARR on {name} ({url})"

    # The marketer: customer data without economics; pages on economics are refused.
    page = new_page()
    sign_in_staff(page, marketer)
    reads_customer_data = {"account list", "account", "account history", "Customer 360"}
    for name, url in {**member_urls, **staff_urls}.items():
        if url.endswith("?export=csv"):
            with page.expect_download() as download_info:
                page.evaluate("url => { window.location.href = url }", url)
            path = download_info.value.path()
            text = Path(path).read_bytes().decode("utf-8-sig")
            assert "株式会社カナリア商事" in text
            assert str(ARR) not in text.replace(",", ""), "the marketer's CSV export has the ARR"
            continue
        response = page.goto(url)
        assert response is not None, url
        if name in reads_customer_data:
            assert response.status == 200, (name, url, response.status)
            expect(page.locator("main")).to_contain_text("株式会社カナリア商事")
        elif name == "segments":
            # The list opens, without the segment on ARR (which does not exist for them).
            assert response.status == 200, (name, url, response.status)
            expect(page.locator("main")).not_to_contain_text("大口の顧客")
        elif name in staff_urls:
            assert response.status in (403, 404), (name, url, response.status)
        assert not _shows_arr(page), f"the marketer read the ARR on {name} ({url})"

    # So the check can fail: granted economics, the marketer reads it on the 360.
    Member.objects.filter(pk=marketer.pk).update(granted_capabilities=["view_account_economics"])
    Account360Page(page, account.pk).open()
    expect(Account360Page(page, account.pk).economics).to_contain_text("¥987,654,321")
