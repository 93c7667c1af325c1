from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, QuerySet

from kizuna.customers.models import CustomerAccount, MemberAccountLink
from kizuna.identity.permissions import Viewer


def get_account_for_member(member: Viewer) -> CustomerAccount | None:
    """The account a member is linked to, whatever its status."""
    if isinstance(member, AnonymousUser):
        return None
    link = MemberAccountLink.objects.select_related("account").filter(member_id=member.pk).first()
    return link.account if link else None


def is_customer(member: Viewer) -> bool:
    """A member linked to an active account: the people private spaces are for."""
    if isinstance(member, AnonymousUser):
        return False
    cached = getattr(member, "_kizuna_is_customer", None)
    if cached is None:
        cached = MemberAccountLink.objects.filter(
            member_id=member.pk, account__status=CustomerAccount.Status.ACTIVE
        ).exists()
        # The space policy asks several times per request; remembered on this object only.
        member._kizuna_is_customer = cached  # type: ignore[attr-defined]
    return bool(cached)


def list_accounts(*, query: str = "", status: str = "") -> QuerySet[CustomerAccount]:
    accounts = CustomerAccount.objects.annotate(
        member_count=Count("member_links", distinct=True)
    ).prefetch_related("domains")
    if query:
        accounts = accounts.filter(
            Q(name__icontains=query) | Q(domains__domain__icontains=query)
        ).distinct()
    if status:
        accounts = accounts.filter(status=status)
    return accounts.order_by("name")


def find_account_by_domain(domain: str) -> CustomerAccount | None:
    return CustomerAccount.objects.filter(domains__domain__iexact=domain.strip().lower()).first()


def get_account(*, pk: int) -> CustomerAccount | None:
    return CustomerAccount.objects.prefetch_related("domains").filter(pk=pk).first()


def list_account_members(*, account: CustomerAccount) -> QuerySet[MemberAccountLink]:
    """An account's member links with the member and, for staff links, who linked them."""
    return (
        MemberAccountLink.objects.filter(account=account)
        .select_related("member", "linked_by")
        .order_by("member__display_name", "member__email", "pk")
    )


def count_accounts() -> dict[str, int]:
    counts = dict(
        CustomerAccount.objects.order_by()
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {
        "active": counts.get(CustomerAccount.Status.ACTIVE, 0),
        "churned": counts.get(CustomerAccount.Status.CHURNED, 0),
        "linked_members": MemberAccountLink.objects.count(),
    }
