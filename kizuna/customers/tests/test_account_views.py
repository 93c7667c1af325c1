import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from kizuna.core.models import AuditEntry
from kizuna.customers.models import AccountDomain, CustomerAccount, MemberAccountLink
from kizuna.customers.tests.factories import (
    AccountDomainFactory,
    ContactFactory,
    CustomerAccountFactory,
    make_customer,
)
from kizuna.customers.tiers import current_tier_settings
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import MemberFactory, StaffFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
LIST_URL = reverse("customers:account-list")
CREATE_URL = reverse("customers:account-create")


@pytest.fixture
def csm(client: Client) -> Member:
    staff: Member = StaffFactory(staff_role="csm")
    client.force_login(staff)
    return staff


def test_list_searches_names_and_domains_and_filters_status(client: Client, csm: Member) -> None:
    acme = CustomerAccountFactory(name="株式会社アクメ")
    AccountDomainFactory(account=acme, domain="acme.co.jp")
    AccountDomainFactory(account=acme, domain="acme-group.co.jp")
    churned = CustomerAccountFactory(name="旧顧客", status=CustomerAccount.Status.CHURNED)
    listed = lambda **params: list(client.get(LIST_URL, params).context["page"].object_list)  # noqa: E731
    assert listed(q="アクメ") == [acme]
    assert listed(q="acme") == [acme]
    assert listed(status="churned") == [churned]


def test_member_counts_are_not_inflated_by_matching_domains(client: Client, csm: Member) -> None:
    acme = CustomerAccountFactory()
    AccountDomainFactory(account=acme, domain="acme.co.jp")
    AccountDomainFactory(account=acme, domain="acme.jp")
    make_customer(account=acme)
    make_customer(account=acme)
    [row] = client.get(LIST_URL, {"q": "acme"}).context["page"].object_list
    assert row.member_count == 2


def test_list_queries_do_not_grow_with_accounts(
    client: Client, csm: Member, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    AccountDomainFactory()
    # session, member, TOTP check, custom fields, staff (owner filter), plans (plan filter),
    # count, page, domains prefetch
    with django_assert_num_queries(9):
        client.get(LIST_URL)
    for _ in range(10):
        account = AccountDomainFactory().account
        make_customer(account=account)
    with django_assert_num_queries(9):
        response = client.get(LIST_URL)
    assert len(response.context["page"].object_list) == 11


def test_list_is_paginated_and_has_an_empty_state(client: Client, csm: Member) -> None:
    assert "empty-state" in client.get(LIST_URL).content.decode()
    CustomerAccountFactory.create_batch(26)
    assert client.get(LIST_URL).context["page"].paginator.num_pages == 2


def test_create_account_links_members_already_verified_at_its_domain(
    client: Client, csm: Member
) -> None:
    verified: Member = MemberFactory(email="suzuki@newco.co.jp")
    unverified = MemberFactory(email="sato@newco.co.jp", verified=False)
    response = client.post(
        CREATE_URL,
        {"name": "株式会社ニューコ", "domains": "NewCo.co.jp\n@newco.jp", "status": "active"},
    )
    account = CustomerAccount.objects.get(name="株式会社ニューコ")
    assert response["Location"] == reverse("customers:account-detail", args=[account.pk])
    assert sorted(d.domain for d in account.domains.all()) == ["newco.co.jp", "newco.jp"]
    link = MemberAccountLink.objects.get(account=account)
    assert link.member == verified
    assert link.source == MemberAccountLink.Source.EMAIL_DOMAIN
    assert not MemberAccountLink.objects.filter(member=unverified).exists()
    assert AuditEntry.objects.filter(action="account.created", actor=csm).count() == 1


@pytest.mark.parametrize(
    ("domains", "reason"),
    [("not a domain", "is not an email domain"), ("gmail.com", "public mail service")],
)
def test_bad_domains_are_field_errors_and_nothing_is_created(
    client: Client, csm: Member, domains: str, reason: str
) -> None:
    response = client.post(
        CREATE_URL, {"name": "株式会社ダメ", "domains": domains, "status": "active"}
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert list(form.errors) == ["domains"]
    assert reason in form.errors["domains"][0]
    assert form["name"].value() == "株式会社ダメ"
    assert not CustomerAccount.objects.exists()
    assert not AuditEntry.objects.exists()


def test_domain_of_another_account_is_refused(client: Client, csm: Member) -> None:
    AccountDomainFactory(domain="taken.co.jp")
    response = client.post(
        CREATE_URL, {"name": "新規", "domains": "taken.co.jp", "status": "active"}
    )
    assert response.status_code == 400
    assert "domains" in response.context["form"].errors
    assert CustomerAccount.objects.count() == 1


def test_duplicate_name_is_a_field_error(client: Client, csm: Member) -> None:
    CustomerAccountFactory(name="株式会社同名")
    response = client.post(CREATE_URL, {"name": "株式会社同名", "domains": "", "status": "active"})
    assert list(response.context["form"].errors) == ["name"]


def test_edit_churns_by_the_lifecycle_stage_and_changes_domains(
    client: Client, csm: Member
) -> None:
    account: CustomerAccount = CustomerAccountFactory(name="株式会社エディット")
    AccountDomainFactory(account=account, domain="old.co.jp")
    url = reverse("customers:account-edit", args=[account.pk])
    assert client.get(url).context["form"].initial["domains"] == "old.co.jp"
    response = client.post(
        url, {"name": "株式会社エディット", "domains": "new.co.jp", "lifecycle_stage": "churned"}
    )
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.status == "churned"
    assert [d.domain for d in account.domains.all()] == ["new.co.jp"]


def test_failed_edit_changes_nothing(client: Client, csm: Member) -> None:
    account: CustomerAccount = CustomerAccountFactory(name="株式会社そのまま")
    AccountDomainFactory(account=account, domain="keep.co.jp")
    url = reverse("customers:account-edit", args=[account.pk])
    response = client.post(
        url, {"name": "別名", "domains": "keep.co.jp, gmail.com", "lifecycle_stage": "churned"}
    )
    assert response.status_code == 400
    account.refresh_from_db()
    assert (account.name, account.status) == ("株式会社そのまま", "active")
    assert [d.domain for d in account.domains.all()] == ["keep.co.jp"]


def test_detail_shows_domains_and_how_members_are_linked(client: Client, csm: Member) -> None:
    account = CustomerAccountFactory()
    AccountDomainFactory(account=account, domain="detail.co.jp")
    by_domain = make_customer(account=account, display_name="ドメイン太郎")
    response = client.get(reverse("customers:account-detail", args=[account.pk]))
    content = response.content.decode()
    assert "detail.co.jp" in content
    assert "ドメイン太郎" in content
    assert [link.member for link in response.context["page"].object_list] == [by_domain]


def test_detail_queries_do_not_grow_with_members(
    client: Client, csm: Member, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    account = CustomerAccountFactory()
    make_customer(account=account)
    ContactFactory(account=account, member=MemberFactory())
    current_tier_settings()
    url = reverse("customers:account-detail", args=[account.pk])
    # session, member, TOTP check, account with plan and owner, domains, tier settings,
    # custom fields, their values, members count, contacts count, members page, contacts page
    with django_assert_num_queries(12):
        client.get(url)
    for _ in range(8):
        member = MemberFactory()
        MemberAccountLink.objects.create(
            member=member, account=account, source=MemberAccountLink.Source.STAFF, linked_by=csm
        )
        ContactFactory(account=account, member=member)
    with django_assert_num_queries(12):
        client.get(url)


def test_staff_link_a_member_by_email_with_a_reason(client: Client, csm: Member) -> None:
    account: CustomerAccount = CustomerAccountFactory()
    member = MemberFactory(email="personal@gmail.com")
    response = client.post(
        reverse("customers:account-link-member", args=[account.pk]),
        {"email": "Personal@Gmail.com", "reason": "個人アドレスで登録"},
    )
    assert response.status_code == 302
    link = MemberAccountLink.objects.get(member=member)
    assert (link.account, link.source, link.linked_by) == (account, "staff", csm)
    entry = AuditEntry.objects.get(action="account.member_linked")
    assert entry.reason == "個人アドレスで登録"


def test_linking_an_unknown_email_is_a_field_error(client: Client, csm: Member) -> None:
    account = CustomerAccountFactory()
    response = client.post(
        reverse("customers:account-link-member", args=[account.pk]),
        {"email": "nobody@example.org", "reason": "x"},
    )
    assert response.status_code == 400
    form = response.context["link_form"]
    assert list(form.errors) == ["email"]
    assert form["email"].value() == "nobody@example.org"
    assert not MemberAccountLink.objects.exists()


def test_linking_without_a_reason_is_a_field_error(client: Client, csm: Member) -> None:
    account = CustomerAccountFactory()
    member = MemberFactory()
    response = client.post(
        reverse("customers:account-link-member", args=[account.pk]), {"email": member.email}
    )
    assert list(response.context["link_form"].errors) == ["reason"]
    assert not MemberAccountLink.objects.exists()


def test_unlink_asks_for_a_reason_then_unlinks(client: Client, csm: Member) -> None:
    account = CustomerAccountFactory()
    member = make_customer(account=account)
    url = reverse("customers:account-unlink-member", args=[account.pk, member.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"reason": ""}).status_code == 400
    assert MemberAccountLink.objects.filter(member=member).exists()
    response = client.post(url, {"reason": "退職"})
    assert response["Location"] == reverse("customers:account-detail", args=[account.pk])
    assert not MemberAccountLink.objects.filter(member=member).exists()
    assert AuditEntry.objects.get(action="account.member_unlinked").reason == "退職"


def test_unlink_of_a_member_of_another_account_is_not_found(client: Client, csm: Member) -> None:
    member = make_customer()
    other = CustomerAccountFactory()
    url = reverse("customers:account-unlink-member", args=[other.pk, member.pk])
    assert client.post(url, {"reason": "x"}).status_code == 404
    assert MemberAccountLink.objects.filter(member=member).exists()


def test_sales_may_read_but_not_change_accounts_or_links(client: Client) -> None:
    client.force_login(StaffFactory(staff_role="sales"))
    account: CustomerAccount = CustomerAccountFactory(name="株式会社読むだけ")
    member = MemberFactory()
    linked = make_customer(account=account)
    assert client.get(reverse("customers:account-detail", args=[account.pk])).status_code == 200
    assert (
        client.post(CREATE_URL, {"name": "x", "domains": "", "status": "active"}).status_code == 403
    )
    edit = reverse("customers:account-edit", args=[account.pk])
    assert client.post(edit, {"name": "y", "domains": "", "status": "churned"}).status_code == 403
    link = reverse("customers:account-link-member", args=[account.pk])
    assert client.post(link, {"email": member.email, "reason": "x"}).status_code == 403
    unlink = reverse("customers:account-unlink-member", args=[account.pk, linked.pk])
    assert client.post(unlink, {"reason": "x"}).status_code == 403
    account.refresh_from_db()
    assert (account.name, account.status) == ("株式会社読むだけ", "active")
    assert CustomerAccount.objects.count() == 1
    assert list(MemberAccountLink.objects.values_list("member_id", flat=True)) == [linked.pk]
    assert not AuditEntry.objects.exists()


def test_unknown_account_is_not_found(client: Client, csm: Member) -> None:
    assert client.get(reverse("customers:account-detail", args=[99999])).status_code == 404
    assert AccountDomain.objects.count() == 0
