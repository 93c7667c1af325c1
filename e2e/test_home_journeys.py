"""Each demo persona opens the home page and finds their next step there (issue 10).

One journey walks every persona, because the demo community is loaded once (the browser
tests flush the database after each test). Screenshots of each home page at 1280 and 375 px
go to artifacts/h10home/.
"""

import re
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect
from pytest_django import Settings

from e2e.conftest import DESKTOP, PHONE
from e2e.pages import LoginPage, MfaPage, current_totp_code
from e2e.pages.home import HomePage
from kizuna.demo import data
from kizuna.demo.community import load_demo_community
from kizuna.identity.models import Member

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts" / "h10home"


def _shoot(page: Page, name: str) -> None:
    """The page at desktop and phone width, whole, then back to the desktop width."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for label, size in (("1280", DESKTOP), ("375", PHONE)):
        page.set_viewport_size(size)
        page.screenshot(path=str(ARTIFACTS / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size(DESKTOP)


def _sign_in(page: Page, email: str) -> HomePage:
    LoginPage(page).open_and_sign_in(email=email, password=data.DEMO_PASSWORD)
    member = Member.objects.get(email=email)
    if member.is_staff_member:
        MfaPage(page).enter_code(current_totp_code(member))
    home = HomePage(page).open()
    home.expect_signed_in()
    return home


def test_each_demo_persona_finds_their_next_step_on_the_home_page(
    new_page: Callable[..., Page], settings: Settings
) -> None:
    settings.MFA_TOTP_TOLERANCE = 1
    load_demo_community()

    # A visitor: the open spaces, and how to become a member.
    home = HomePage(new_page()).open()
    expect(home.how_to_join).to_be_visible()
    _shoot(home.page, "visitor-home")
    first_space = home.open_spaces.first
    space_path = first_space.get_attribute("href")
    first_space.click()
    expect(home.page).to_have_url(re.compile(f"{space_path}$"))

    # A prospect: how to become a customer member, then their work address.
    home = _sign_in(new_page(), data.NON_CUSTOMER_LOGIN.email)
    expect(home.become_customer).to_be_visible()
    expect(home.open_spaces.first).to_be_visible()
    _shoot(home.page, "prospect-home")
    home.become_customer.get_by_role("link").click()
    expect(home.page).to_have_url(re.compile(r"/accounts/email/$"))

    # A customer: their level, and a question waiting for an answer.
    home = _sign_in(new_page(), data.CUSTOMER_LOGIN.email)
    expect(home.level).to_be_visible()
    expect(home.feed.first).to_be_visible()
    _shoot(home.page, "customer-home")
    question = home.questions.first
    question_path = question.get_attribute("href")
    question.click()
    expect(home.page).to_have_url(re.compile(f"{question_path}$"))
    expect(home.page.locator('form[action$="/answers/"]')).to_be_visible()

    # The administrator: the review queue, from the work waiting for them.
    admin = next(person for person in data.STAFF if person.staff_role == "administrator")
    home = _sign_in(new_page(), admin.email)
    expect(home.work).to_be_visible()
    _shoot(home.page, "administrator-home")
    home.queue_link("/moderation/").click()
    expect(home.page).to_have_url(re.compile(r"/moderation/$"))
    home.page.goto("/staff/")
    _shoot(home.page, "administrator-staff-console")

    # The CSM: the questions nobody has answered.
    csm = next(person for person in data.STAFF if person.staff_role == "csm")
    home = _sign_in(new_page(), csm.email)
    expect(home.queue_link("/moderation/")).to_have_count(0)
    _shoot(home.page, "csm-home")
    home.queue_link("/unanswered/").click()
    expect(home.page).to_have_url(re.compile(r"/unanswered/$"))
    home.page.goto("/staff/")
    _shoot(home.page, "csm-staff-console")
