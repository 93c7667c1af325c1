"""Page objects: what a person can see and do on each page, so journeys read like specifications."""

from e2e.pages.accounts import EmailConfirmPage, LoginPage, MfaPage, SignupPage, TotpSetupPage
from e2e.pages.base import BasePage
from e2e.pages.members import ProfilePage, StaffConsolePage
from e2e.pages.spaces import ApplyPage, JoinRequestsPage, SpaceListPage, SpacePage

__all__ = [
    "ApplyPage",
    "BasePage",
    "EmailConfirmPage",
    "JoinRequestsPage",
    "LoginPage",
    "MfaPage",
    "ProfilePage",
    "SignupPage",
    "SpaceListPage",
    "SpacePage",
    "StaffConsolePage",
    "TotpSetupPage",
]
