import re

from allauth.mfa.models import Authenticator
from playwright.sync_api import Page, expect
from pytest_django import Settings

from e2e.conftest import Screenshot
from e2e.pages import (
    LoginPage,
    MfaPage,
    ReauthenticatePage,
    StaffConsolePage,
    TotpSetupPage,
    current_totp_code,
    totp_code,
)
from kizuna.identity.tests.factories import StaffFactory

PASSWORD = "correct horse battery staple"
# Both tests accept the neighbouring 30-second TOTP window too (MFA_TOTP_TOLERANCE = 1),
# so a code computed just before the window turns is still good when the browser submits it.


def test_staff_without_totp_are_sent_to_set_it_up_before_the_staff_console(
    page: Page, screenshot: Screenshot, settings: Settings
) -> None:
    settings.MFA_TOTP_TOLERANCE = 1
    staff = StaffFactory(with_mfa=False, staff_role="community_manager")

    LoginPage(page).open_and_sign_in(email=staff.email, password=PASSWORD)
    StaffConsolePage(page).open()

    # The console sends them to TOTP set-up, which allauth guards with the password again.
    reauthenticate = ReauthenticatePage(page)
    expect(page).to_have_url(re.compile(r"/accounts/reauthenticate/\?next="))
    reauthenticate.confirm_password(PASSWORD)
    setup = TotpSetupPage(page)
    expect(page).to_have_url(setup.path)
    expect(setup.code_field).to_be_visible()
    screenshot(page, "totp-setup")
    assert not Authenticator.objects.filter(user=staff).exists()

    setup.activate(totp_code(setup.secret))
    expect(setup.code_field).to_have_count(0)
    console = StaffConsolePage(page).open()
    expect(page).to_have_url(console.path)
    expect(console.navigation.locator('a[href="/staff/"]')).to_have_attribute(
        "aria-current", "page"
    )
    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).count() == 1


def test_staff_with_totp_sign_in_with_a_code_and_see_the_staff_console(
    page: Page, screenshot: Screenshot, settings: Settings
) -> None:
    settings.MFA_TOTP_TOLERANCE = 1
    staff = StaffFactory(display_name="運営 管理者", staff_role="administrator")

    console = StaffConsolePage(page).open()
    login = LoginPage(page)
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=(/|%2F)staff(/|%2F)$"))
    login.sign_in(email=staff.email, password=PASSWORD)
    mfa = MfaPage(page)
    expect(page).to_have_url(mfa.path)
    mfa.enter_code(current_totp_code(staff))

    expect(page).to_have_url(console.path)
    expect(console.navigation.locator('a[href="/staff/"]')).to_have_attribute(
        "aria-current", "page"
    )
    expect(console.heading).to_be_visible()
    screenshot(page, "staff-console")
