"""allauth's pages: sign-up, e-mail confirmation, sign-in, the TOTP step and TOTP setup.

Fields are found by their form names, which stay the same whichever language the
page is shown in and whoever restyles the templates.
"""

import re
from typing import Self

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from allauth.mfa.utils import decrypt
from playwright.sync_api import Locator, Page, expect

from e2e.pages.base import BasePage


def _submit(form: Locator) -> None:
    form.locator('button[type="submit"]').first.click()


class SignupPage(BasePage):
    path = "/accounts/signup/"

    @property
    def form(self) -> Locator:
        return self.page.locator("form").filter(has=self.page.locator('input[name="password1"]'))

    def sign_up(self, *, email: str, display_name: str, password: str) -> None:
        self.form.locator('input[name="email"]').fill(email)
        self.form.locator('input[name="display_name"]').fill(display_name)
        self.form.locator('input[name="password1"]').fill(password)
        password_again = self.form.locator('input[name="password2"]')
        if password_again.count():
            password_again.fill(password)
        _submit(self.form)


class EmailConfirmPage(BasePage):
    """The page a verification link opens; confirming is a POST, as link scanners must not confirm."""

    def __init__(self, page: Page, link: str) -> None:
        super().__init__(page)
        self.path = link

    @property
    def form(self) -> Locator:
        return self.page.locator('form[action*="/accounts/confirm-email/"]')

    def confirm(self) -> None:
        _submit(self.form)


class LoginPage(BasePage):
    path = "/accounts/login/"

    @property
    def form(self) -> Locator:
        return self.page.locator("form").filter(has=self.page.locator('input[name="password"]'))

    def sign_in(self, *, email: str, password: str) -> None:
        self.form.locator('input[name="login"]').fill(email)
        self.form.locator('input[name="password"]').fill(password)
        _submit(self.form)
        # Wait for the answer (and its session cookie) before the journey goes elsewhere.
        expect(self.page).not_to_have_url(re.compile(r"/accounts/login/"))

    def open_and_sign_in(self, *, email: str, password: str) -> Self:
        self.open()
        self.sign_in(email=email, password=password)
        return self


class MfaPage(BasePage):
    """The second sign-in step for a member with TOTP."""

    path = "/accounts/2fa/authenticate/"

    @property
    def code_field(self) -> Locator:
        return self.page.locator('input[name="code"]')

    def enter_code(self, code: str) -> None:
        self.code_field.fill(code)
        _submit(self.page.locator("form").filter(has=self.code_field))


class TotpSetupPage(BasePage):
    path = "/accounts/2fa/totp/activate/"

    @property
    def code_field(self) -> Locator:
        return self.page.locator('input[name="code"]')

    @property
    def secret(self) -> str:
        """The secret shown beside the QR code, which the authenticator app would read."""
        return self.page.locator("input#authenticator_secret").input_value()

    def activate(self, code: str) -> None:
        self.code_field.fill(code)
        _submit(self.page.locator("form").filter(has=self.page.locator('input[name="code"]')))


def totp_code(secret: str) -> str:
    """The code an authenticator app shows now for `secret` (allauth's own HOTP helpers)."""
    counters = list(yield_hotp_counters_from_time())
    return str(format_hotp_value(hotp_value(secret, counters[len(counters) // 2])))


def current_totp_code(member: object) -> str:
    """The code the member's authenticator app would show now."""
    authenticator = Authenticator.objects.get(user=member, type=Authenticator.Type.TOTP)
    return totp_code(decrypt(authenticator.data["secret"]))


class ReauthenticatePage(BasePage):
    """allauth asks for the password again before security changes such as setting up TOTP."""

    path = "/accounts/reauthenticate/"

    @property
    def password_field(self) -> Locator:
        return self.main.locator('input[name="password"]')

    def confirm_password(self, password: str) -> None:
        self.password_field.fill(password)
        _submit(self.page.locator("form").filter(has=self.page.locator('input[name="password"]')))
