"""Who is in the ambassador programme, for the roster, the plays and the Customer 360."""

from django.db.models import Q, QuerySet

from kizuna.ambassadors.models import Ambassador
from kizuna.customers.models import CustomerAccount, MemberAccountLink


def active_ambassadors() -> QuerySet[Ambassador]:
    """Active ambassadors with their member, most recent first."""
    return Ambassador.objects.filter(status=Ambassador.Status.ACTIVE).select_related("member")


def accounts_with_ambassadors() -> QuerySet[CustomerAccount]:
    """Accounts with at least one member who is an active ambassador (one SQL query)."""
    linked = MemberAccountLink.objects.filter(
        member__ambassador__status=Ambassador.Status.ACTIVE, member__is_active=True
    ).values("account_id")
    return CustomerAccount.objects.filter(pk__in=linked)


def ambassadors_of_account(account: CustomerAccount) -> QuerySet[Ambassador]:
    """The account's active ambassadors (for its Customer 360)."""
    return active_ambassadors().filter(member__account_link__account=account)


def roster(*, query: str = "", status: str = Ambassador.Status.ACTIVE) -> QuerySet[Ambassador]:
    """The roster with each member's account; `status` "" lists everyone who ever was one."""
    rows = Ambassador.objects.select_related("member", "member__account_link__account", "added_by")
    if status:
        rows = rows.filter(status=status)
    if query:
        rows = rows.filter(
            Q(member__display_name__icontains=query)
            | Q(member__email__icontains=query)
            | Q(member__account_link__account__name__icontains=query)
        )
    return rows.order_by("member__account_link__account__name", "member__display_name", "pk")
