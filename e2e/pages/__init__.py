"""Page objects: what a person can see and do on each page, so journeys read like specifications."""

from e2e.pages.accounts import (
    EmailConfirmPage,
    LoginPage,
    MfaPage,
    ReauthenticatePage,
    SignupPage,
    TotpSetupPage,
    current_totp_code,
    totp_code,
)
from e2e.pages.base import BasePage
from e2e.pages.members import ProfileEditPage, ProfilePage, StaffConsolePage
from e2e.pages.spaces import ApplyPage, JoinRequestsPage, SpaceListPage, SpacePage

__all__ = [
    "ApplyPage",
    "BasePage",
    "EmailConfirmPage",
    "JoinRequestsPage",
    "LoginPage",
    "MfaPage",
    "ProfileEditPage",
    "ProfilePage",
    "ReauthenticatePage",
    "SignupPage",
    "SpaceListPage",
    "SpacePage",
    "StaffConsolePage",
    "TotpSetupPage",
    "current_totp_code",
    "totp_code",
]
