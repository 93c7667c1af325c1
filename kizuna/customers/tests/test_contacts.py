"""Contacts: added, edited and removed on the account page; a contact whose address a member has
verified is linked to that member, whether the member verified before or after."""

import pytest
from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed
from django.test import Client
from django.urls import reverse

from kizuna.core.models import AuditEntry
from kizuna.customers.models import Contact
from kizuna.customers.tests.factories import ContactFactory, CustomerAccountFactory
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import MemberFactory, StaffFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def csm(client: Client) -> Member:
    staff: Member = StaffFactory(staff_role="csm")
    client.force_login(staff)
    return staff


def add_url(account_pk: int) -> str:
    return reverse("customers:contact-create", args=[account_pk])


def test_a_contact_added_with_a_verified_members_address_is_linked_to_them(
    client: Client, csm: Member
) -> None:
    account = CustomerAccountFactory()
    member: Member = MemberFactory(email="yamada@acme.co.jp")
    response = client.post(
        add_url(account.pk),
        {"email": "Yamada@ACME.co.jp", "full_name": "山田 太郎", "title": "情報システム部"},
    )
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert (contact.account, contact.member, contact.email) == (
        account,
        member,
        "Yamada@acme.co.jp",
    )
    page = client.get(reverse("customers:account-detail", args=[account.pk])).content.decode()
    assert "山田 太郎" in page and member.name in page
    assert AuditEntry.objects.filter(action="account.contact_added").count() == 1


def test_an_unverified_address_links_nobody(client: Client, csm: Member) -> None:
    account = CustomerAccountFactory()
    MemberFactory(email="unverified@acme.co.jp", verified=False)
    client.post(add_url(account.pk), {"email": "unverified@acme.co.jp"})
    assert Contact.objects.get().member is None


def test_a_member_verifying_later_is_linked_to_the_contact() -> None:
    contact = ContactFactory(email="later@acme.co.jp")
    member: Member = MemberFactory(email="later@acme.co.jp", verified=False)
    address = EmailAddress.objects.create(
        user=member, email="LATER@acme.co.jp", primary=True, verified=True
    )

    email_confirmed.send(sender=EmailAddress, request=None, email_address=address)

    contact.refresh_from_db()
    assert contact.member == member


def test_verifying_does_not_take_a_contact_from_another_member() -> None:
    first: Member = MemberFactory()
    contact = ContactFactory(email="shared@acme.co.jp", member=first)
    second: Member = MemberFactory(email="shared@acme.co.jp", verified=False)
    address = EmailAddress.objects.create(user=second, email=second.email, verified=True)
    email_confirmed.send(sender=EmailAddress, request=None, email_address=address)
    contact.refresh_from_db()
    assert contact.member == first


def test_a_contact_email_is_unique_across_accounts(client: Client, csm: Member) -> None:
    ContactFactory(email="dup@acme.co.jp", account=CustomerAccountFactory(name="先の会社"))
    account = CustomerAccountFactory()
    response = client.post(add_url(account.pk), {"email": "DUP@acme.co.jp"})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == ["email"]
    assert "先の会社" in errors["email"][0]
    assert Contact.objects.count() == 1


def test_one_main_contact_per_account(client: Client, csm: Member) -> None:
    account = CustomerAccountFactory()
    old = ContactFactory(account=account, is_primary=True)
    client.post(add_url(account.pk), {"email": "new@acme.co.jp", "is_primary": "on"})
    old.refresh_from_db()
    assert not old.is_primary
    assert Contact.objects.get(email="new@acme.co.jp").is_primary


def test_editing_an_address_relinks_the_contact(client: Client, csm: Member) -> None:
    account = CustomerAccountFactory()
    before: Member = MemberFactory(email="before@acme.co.jp")
    after: Member = MemberFactory(email="after@acme.co.jp")
    contact = ContactFactory(account=account, email="before@acme.co.jp", member=before)
    url = reverse("customers:contact-edit", args=[account.pk, contact.pk])
    assert client.get(url).context["form"].initial["email"] == "before@acme.co.jp"
    response = client.post(url, {"email": "after@acme.co.jp", "full_name": "変更後"})
    assert response.status_code == 302
    contact.refresh_from_db()
    assert (contact.member, contact.full_name) == (after, "変更後")


def test_removing_a_contact_asks_first(client: Client, csm: Member) -> None:
    account = CustomerAccountFactory()
    contact = ContactFactory(account=account, full_name="削除 予定")
    url = reverse("customers:contact-delete", args=[account.pk, contact.pk])
    assert "削除 予定" in client.get(url).content.decode()
    assert Contact.objects.exists()
    assert client.post(url).status_code == 302
    assert not Contact.objects.exists()
    assert AuditEntry.objects.filter(action="account.contact_removed").count() == 1


def test_a_contact_of_another_account_is_not_found(client: Client, csm: Member) -> None:
    contact = ContactFactory()
    other = CustomerAccountFactory()
    url = reverse("customers:contact-edit", args=[other.pk, contact.pk])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("role", ["marketing", "sales", "community_manager"])
def test_only_account_managers_change_contacts(client: Client, role: str) -> None:
    client.force_login(StaffFactory(staff_role=role))
    account = CustomerAccountFactory()
    contact = ContactFactory(account=account)
    assert client.post(add_url(account.pk), {"email": "x@acme.co.jp"}).status_code == 403
    delete = reverse("customers:contact-delete", args=[account.pk, contact.pk])
    assert client.post(delete).status_code == 403
    assert Contact.objects.count() == 1
    page = client.get(reverse("customers:account-detail", args=[account.pk])).content.decode()
    assert contact.email in page
    assert add_url(account.pk) not in page


def test_contacts_are_paginated_on_the_account_page(client: Client, csm: Member) -> None:
    account = CustomerAccountFactory()
    ContactFactory.create_batch(26, account=account)
    url = reverse("customers:account-detail", args=[account.pk])
    first = client.get(url)
    assert len(first.context["contacts"].object_list) == 25
    assert "?contacts=2" in first.content.decode()
    assert len(client.get(url, {"contacts": 2}).context["contacts"].object_list) == 1
