import re

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kizuna.core.audit import record_audit
from kizuna.customers.models import AccountDomain, CustomerAccount, MemberAccountLink
from kizuna.customers.selectors import find_account_by_domain
from kizuna.identity.models import Member
from kizuna.identity.permissions import check_capability
from kizuna.identity.roles import Capability

DOMAIN_PATTERN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
# Addresses at these providers say nothing about the member's employer.
PUBLIC_MAIL_DOMAINS = frozenset(
    {"gmail.com", "yahoo.co.jp", "outlook.com", "hotmail.com", "icloud.com", "outlook.jp"}
)


def clean_domains(raw: str | list[str]) -> list[str]:
    items = raw.replace("、", ",").replace("\n", ",").split(",") if isinstance(raw, str) else raw
    domains = []
    for item in items:
        domain = item.strip().lower().lstrip("@")
        if not domain:
            continue
        if not DOMAIN_PATTERN.match(domain):
            raise ValidationError(
                {
                    "domains": _("“%(domain)s” is not an email domain such as example.co.jp.")
                    % {"domain": domain}
                }
            )
        if domain in PUBLIC_MAIL_DOMAINS:
            raise ValidationError(
                {
                    "domains": _(
                        "“%(domain)s” is a public mail service and cannot identify a company."
                    )
                    % {"domain": domain}
                }
            )
        if domain not in domains:
            domains.append(domain)
    return domains


def _verified_members_at(domains: list[str]) -> list[Member]:

    member_ids = set()
    for domain in domains:
        member_ids |= set(
            EmailAddress.objects.filter(verified=True, email__iendswith="@" + domain).values_list(
                "user_id", flat=True
            )
        )
    return list(Member.objects.filter(pk__in=member_ids, account_link__isnull=True))


@transaction.atomic
def save_account(
    *,
    actor: Member,
    name: str,
    domains: str | list[str],
    status: str,
    account: CustomerAccount | None = None,
) -> CustomerAccount:
    """Create or update an account; members already verified at a new domain are linked to it."""
    check_capability(actor, Capability.MANAGE_ACCOUNTS)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Enter the company name.")})
    if status not in CustomerAccount.Status.values:
        raise ValidationError({"status": _("Choose active or churned.")})
    wanted = clean_domains(domains)
    taken = AccountDomain.objects.filter(domain__in=wanted)
    if account is not None:
        taken = taken.exclude(account=account)
    if clash := taken.select_related("account").first():
        raise ValidationError(
            {
                "domains": _("%(domain)s already belongs to %(account)s.")
                % {"domain": clash.domain, "account": clash.account.name}
            }
        )
    same_name = CustomerAccount.objects.filter(name__iexact=name)
    if account is not None:
        same_name = same_name.exclude(pk=account.pk)
    if same_name.exists():
        raise ValidationError({"name": _("An account with this name already exists.")})
    is_new = account is None
    previous_status = None if account is None else account.status
    if account is None:
        account = CustomerAccount(name=name, status=status)
    else:
        account.name, account.status = name, status
    try:
        with transaction.atomic():
            account.save()
    except IntegrityError as error:
        raise ValidationError({"name": _("An account with this name already exists.")}) from error
    account.domains.exclude(domain__in=wanted).delete()
    for domain in wanted:
        AccountDomain.objects.get_or_create(account=account, domain=domain)
    for member in _verified_members_at(wanted):
        MemberAccountLink.objects.create(
            member=member, account=account, source=MemberAccountLink.Source.EMAIL_DOMAIN
        )
    record_audit(
        actor=actor,
        action="account.created" if is_new else "account.updated",
        target=account,
        details={"domains": wanted, "status": status, "previous_status": previous_status},
    )
    return account


@transaction.atomic
def link_member_to_account(
    *, actor: Member, member: Member, account: CustomerAccount, reason: str = ""
) -> MemberAccountLink:
    """Staff link a member to an account by hand (e.g. a personal address, a partner)."""
    check_capability(actor, Capability.LINK_ACCOUNTS)
    link, _created = MemberAccountLink.objects.update_or_create(
        member=member,
        defaults={"account": account, "source": MemberAccountLink.Source.STAFF, "linked_by": actor},
    )
    record_audit(
        actor=actor,
        action="account.member_linked",
        target=account,
        reason=reason,
        details={"member_id": member.pk, "member": str(member)},
    )
    return link


@transaction.atomic
def unlink_member_from_account(*, actor: Member, member: Member, reason: str = "") -> None:
    check_capability(actor, Capability.LINK_ACCOUNTS)
    link = MemberAccountLink.objects.select_related("account").filter(member=member).first()
    if link is None:
        return
    account = link.account
    link.delete()
    record_audit(
        actor=actor,
        action="account.member_unlinked",
        target=account,
        reason=reason,
        details={"member_id": member.pk, "member": str(member)},
    )


def link_member_by_verified_email(*, member: Member, email: str) -> MemberAccountLink | None:
    """Called when a member verifies an address: a match with an account's domain links them."""
    if MemberAccountLink.objects.filter(member=member).exists():
        return None
    account = find_account_by_domain(email.rsplit("@", 1)[-1])
    if account is None:
        return None
    link, _created = MemberAccountLink.objects.get_or_create(
        member=member,
        defaults={"account": account, "source": MemberAccountLink.Source.EMAIL_DOMAIN},
    )
    return link
