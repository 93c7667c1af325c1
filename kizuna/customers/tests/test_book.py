"""Books of business on a hand-built fixture: counts per tier against capacity, ARR per tier,
renewals in the next 90 days and the unowned accounts, all worked out by hand."""

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from kizuna.customers.book import book_summary, list_books, summarise_book
from kizuna.customers.models import CustomerAccount
from kizuna.customers.tests.factories import CustomerAccountFactory
from kizuna.customers.tiers import current_tier_settings
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import MemberFactory, StaffFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
BOOK_URL = reverse("customers:book")


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def owned(owner: Member | None, tier: str, arr: int | None, **fields: Any) -> CustomerAccount:
    account: CustomerAccount = CustomerAccountFactory(
        csm_owner=owner, touch_tier=tier, arr_minor=arr, **fields
    )
    return account


@pytest.fixture
def fixture() -> dict[str, Member]:
    settings = current_tier_settings()
    settings.high_capacity, settings.low_capacity, settings.tech_capacity = 2, 3, 1000
    settings.save()
    aoki: Member = StaffFactory(staff_role="csm", display_name="Aoki")
    ishii: Member = StaffFactory(staff_role="csm", display_name="Ishii")
    ueda: Member = StaffFactory(staff_role="administrator", display_name="Ueda")
    StaffFactory(staff_role="sales", display_name="Sales without accounts")
    owned(aoki, "high", 20_000_000, renewal_date=days(90))  # renews on the last day counted
    owned(aoki, "high", 15_000_000, renewal_date=days(91))  # one day too late
    owned(aoki, "high", 12_000_000, renewal_date=days(0))  # renews today: counted
    owned(aoki, "low", 2_000_000, renewal_date=days(-1))  # renewed yesterday: not counted
    owned(aoki, "low", 500_000_00, currency="USD")  # dollars: counted, not in the yen ARR
    owned(aoki, "high", 50_000_000, status=CustomerAccount.Status.CHURNED, renewal_date=days(5))
    owned(ueda, "tech", 100_000)
    owned(None, "low", 3_000_000, renewal_date=days(10))
    owned(None, "tech", None)
    return {"aoki": aoki, "ishii": ishii, "ueda": ueda}


def loads(summary: Any) -> dict[str, tuple[int, int, int]]:
    return {load.tier.value: (load.count, load.capacity, load.arr_minor) for load in summary.loads}


def test_each_csms_book_counts_active_accounts_per_tier_against_capacity(
    fixture: dict[str, Member],
) -> None:
    settings = current_tier_settings()
    summaries = [summarise_book(member, settings) for member in list_books()]
    books = {book.owner.pk: book for book in summaries if book.owner}
    aoki = books[fixture["aoki"].pk]
    # High: 20M + 15M + 12M (the churned 50M is not in a book); low: 2M, and the dollar
    # account counted but not summed.
    assert loads(aoki) == {
        "high": (3, 2, 47_000_000),
        "low": (2, 3, 2_000_000),
        "tech": (0, 1000, 0),
    }
    assert (aoki.total, aoki.arr_minor, aoki.renewals_soon, aoki.other_currency) == (
        5,
        49_000_000,
        2,
        1,
    )
    assert aoki.over_capacity and aoki.load("high").over_by == 1
    assert not aoki.load("low").over_capacity
    # A CSM without accounts is listed with an empty book; an administrator who owns one too.
    assert books[fixture["ishii"].pk].total == 0
    assert loads(books[fixture["ueda"].pk])["tech"] == (1, 1000, 100_000)
    # The sales member owns nothing and is no CSM: no book.
    assert [m.display_name for m in list_books()] == ["Aoki", "Ishii", "Ueda"]


def test_the_unowned_accounts_are_one_summary(fixture: dict[str, Member]) -> None:
    unowned = book_summary(None)
    assert loads(unowned) == {"high": (0, 2, 0), "low": (1, 3, 3_000_000), "tech": (1, 1000, 0)}
    assert (unowned.total, unowned.renewals_soon) == (2, 1)


def test_the_books_page_shows_capacity_and_unowned_accounts(
    client: Client, fixture: dict[str, Member]
) -> None:
    client.force_login(fixture["aoki"])
    html = client.get(BOOK_URL).content.decode()
    assert "1 over capacity" in html
    assert "Over capacity" in html
    assert "¥47,000,000" in html
    assert "Accounts without a CSM" in html
    assert f'href="{reverse("customers:book-of", args=[fixture["aoki"].pk])}"' in html
    assert "My book" in html


def test_the_books_page_costs_the_same_queries_for_more_csms_and_accounts(
    client: Client, fixture: dict[str, Member], django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    client.force_login(fixture["aoki"])
    client.get(BOOK_URL)
    # session, member, TOTP, bands, count of CSMs, the page of books, the unowned summary
    with django_assert_num_queries(7) as first:
        client.get(BOOK_URL)
    for n in range(3):
        csm = StaffFactory(staff_role="csm", display_name=f"Later {n}")
        for tier in ("high", "low", "tech"):
            owned(csm, tier, 1_000_000 * (n + 1), renewal_date=days(n))
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(BOOK_URL)


def test_one_csms_book_lists_accounts_by_tier_then_renewal(
    client: Client, fixture: dict[str, Member]
) -> None:
    client.force_login(fixture["ishii"])
    response = client.get(reverse("customers:book-of", args=[fixture["aoki"].pk]))
    listed = [(a.touch_tier, a.arr_minor) for a in response.context["page"].object_list]
    assert listed == [
        ("high", 12_000_000),  # renews today
        ("high", 20_000_000),  # in 90 days
        ("high", 15_000_000),  # in 91 days
        ("low", 2_000_000),  # renewed yesterday
        ("low", 500_000_00),  # no renewal date: last
    ]
    html = response.content.decode()
    assert "<h1>Aoki's book</h1>" in html
    assert html.count("Within 90 days") == 2


def test_my_book_is_titled_so(client: Client, fixture: dict[str, Member]) -> None:
    client.force_login(fixture["aoki"])
    response = client.get(reverse("customers:book-of", args=[fixture["aoki"].pk]))
    assert "<h1>My book" in response.content.decode()


def test_a_book_is_paginated(client: Client, fixture: dict[str, Member]) -> None:
    for _ in range(26):
        owned(fixture["ishii"], "tech", 10_000)
    client.force_login(fixture["ishii"])
    response = client.get(reverse("customers:book-of", args=[fixture["ishii"].pk]))
    assert response.context["page"].paginator.num_pages == 2


def test_a_member_who_is_neither_staff_nor_an_owner_has_no_book(
    client: Client, fixture: dict[str, Member]
) -> None:
    client.force_login(fixture["aoki"])
    member = MemberFactory()
    assert client.get(reverse("customers:book-of", args=[member.pk])).status_code == 404


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("administrator", 200),
        ("csm", 200),
        ("sales", 200),
        ("executive", 200),
        ("marketing", 403),
        ("community_manager", 403),
        ("moderator", 403),
        ("product_manager", 403),
    ],
)
def test_who_opens_the_books(
    client: Client, fixture: dict[str, Member], role: str, status: int
) -> None:
    client.force_login(StaffFactory(staff_role=role))
    assert client.get(BOOK_URL).status_code == status
    assert client.get(reverse("customers:book-of", args=[fixture["aoki"].pk])).status_code == status


def test_a_marketer_granted_economics_opens_the_books(
    client: Client, fixture: dict[str, Member]
) -> None:
    client.force_login(
        StaffFactory(staff_role="marketing", granted_capabilities=["view_account_economics"])
    )
    assert client.get(BOOK_URL).status_code == 200


def test_a_member_cannot_open_the_books(client: Client, fixture: dict[str, Member]) -> None:
    client.force_login(MemberFactory())
    assert client.get(BOOK_URL).status_code == 403
    assert "¥47,000,000" not in client.get(BOOK_URL).content.decode()
