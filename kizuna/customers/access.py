"""The entry that fetches a customer account and authorises the viewer, once per request."""

from dataclasses import dataclass

from django.http import Http404

from kizuna.customers.models import CustomerAccount
from kizuna.customers.permissions import can_view_economics
from kizuna.customers.selectors import get_account
from kizuna.identity.models import Member
from kizuna.identity.permissions import Viewer, check_capability, has_capability
from kizuna.identity.roles import Capability


@dataclass(frozen=True)
class AccountAccess:
    viewer: Member
    account: CustomerAccount
    can_view_economics: bool
    can_manage: bool
    can_link: bool


def get_account_access(viewer: Member, account: CustomerAccount) -> AccountAccess:
    return AccountAccess(
        viewer=viewer,
        account=account,
        can_view_economics=can_view_economics(viewer),
        can_manage=has_capability(viewer, Capability.MANAGE_ACCOUNTS),
        can_link=has_capability(viewer, Capability.LINK_ACCOUNTS),
    )


def access_account(viewer: Viewer, pk: int) -> AccountAccess:
    """The account with this id and what the viewer may see and do with it.

    PermissionDenied for anyone without VIEW_CUSTOMER_DATA (members, signed-out visitors),
    Http404 when there is no such account.
    """
    check_capability(viewer, Capability.VIEW_CUSTOMER_DATA)
    assert isinstance(viewer, Member)
    account = get_account(pk=pk)
    if account is None:
        raise Http404
    return get_account_access(viewer, account)
