"""The tier settings page (with its live preview) and an account's tier page: who opens them,
what they say, and what saving does."""

import pytest
from django.test import Client
from django.urls import reverse

from kizuna.core.models import AuditEntry
from kizuna.customers.models import AccountChange, CustomerAccount
from kizuna.customers.tests.factories import CustomerAccountFactory
from kizuna.customers.tiers import current_tier_settings
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import MemberFactory, StaffFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
SETTINGS_URL = reverse("customers:tier-settings")

VALID = {
    "basis": "arr",
    "currency": "JPY",
    "high_from": "1000万",
    "low_from": "¥1,200,000",
    "default_lifetime_months": "36",
    "high_capacity": "15",
    "low_capacity": "80",
    "tech_capacity": "1000",
}


@pytest.fixture
def csm(client: Client) -> Member:
    staff: Member = StaffFactory(staff_role="csm")
    client.force_login(staff)
    return staff


def test_the_settings_page_explains_the_rule_with_the_figures(client: Client, csm: Member) -> None:
    html = client.get(SETTINGS_URL).content.decode()
    assert "¥10,000,000" in html and "¥1,200,000" in html
    assert "Exactly the threshold counts as the higher tier." in html
    assert "A strategic account goes one tier up" in html
    assert 'value="¥10,000,000"' in html  # the threshold typed in yen, as shown


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("administrator", 200),
        ("csm", 200),
        ("sales", 403),
        ("executive", 403),
        ("marketing", 403),
        ("community_manager", 403),
        ("moderator", 403),
    ],
)
def test_who_opens_the_settings_page(client: Client, role: str, status: int) -> None:
    client.force_login(StaffFactory(staff_role=role))
    assert client.get(SETTINGS_URL).status_code == status


def test_a_member_cannot_open_the_settings_page(client: Client) -> None:
    client.force_login(MemberFactory())
    assert client.get(SETTINGS_URL).status_code == 403


def test_saving_reads_japanese_amounts_and_says_how_many_accounts_moved(
    client: Client, csm: Member
) -> None:
    current_tier_settings()
    CustomerAccountFactory(arr_minor=9_000_000, touch_tier="tech")
    CustomerAccountFactory(arr_minor=100_000, touch_tier="tech")
    response = client.post(SETTINGS_URL, VALID | {"high_from": "900万"}, follow=True)
    assert response.redirect_chain == [(SETTINGS_URL, 302)]
    assert "1 account changed tier." in response.content.decode()
    settings = current_tier_settings()
    assert (settings.high_from_minor, settings.low_from_minor) == (9_000_000, 1_200_000)
    assert AccountChange.objects.filter(field="touch_tier").count() == 1


def test_high_not_above_low_is_refused_in_words_and_nothing_is_saved(
    client: Client, csm: Member
) -> None:
    account = CustomerAccountFactory(arr_minor=5_000_000, touch_tier="tech")
    response = client.post(SETTINGS_URL, VALID | {"high_from": "100万", "low_from": "100万"})
    assert response.status_code == 400
    assert "The high-touch threshold must be above the low-touch threshold." in (
        response.content.decode()
    )
    assert current_tier_settings().high_from_minor == 10_000_000
    assert CustomerAccount.objects.get(pk=account.pk).touch_tier == "tech"
    assert not AuditEntry.objects.exists()


def test_an_amount_that_is_not_money_is_refused_in_words(client: Client, csm: Member) -> None:
    response = client.post(SETTINGS_URL, VALID | {"low_from": "百二十万"})
    assert response.status_code == 400
    assert "“百二十万” is not an amount" in response.content.decode()


def test_the_preview_counts_accounts_under_the_typed_bands_without_saving(
    client: Client, csm: Member
) -> None:
    CustomerAccountFactory(arr_minor=3_000_000)
    CustomerAccountFactory(arr_minor=600_000)
    CustomerAccountFactory(arr_minor=50_000)
    response = client.get(
        SETTINGS_URL, VALID | {"preview": "1", "low_from": "50万"}, headers={"HX-Request": "true"}
    )
    assert response.templates[0].name == "customers/tiers/preview.html"
    rows = {row.tier.value: (row.now, row.then) for row in response.context["rows"]}
    # Saved bands: 3,000,000 low, the others tech. Typed: low from 500,000 takes 600,000 too.
    assert rows == {"high": (0, 0), "low": (1, 2), "tech": (2, 1)}
    # All three are stored tech (never recomputed): the two that would be low would move.
    assert "Saving would move 2 accounts to another tier." in response.content.decode()
    assert current_tier_settings().low_from_minor == 1_200_000


def test_the_preview_shows_what_to_correct(client: Client, csm: Member) -> None:
    response = client.get(
        SETTINGS_URL,
        VALID | {"preview": "1", "high_from": "10万"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert "Correct these to see how accounts would fall" in html
    assert "The high-touch threshold must be above the low-touch threshold." in html


# --- an account's tier -------------------------------------------------------------------


def tier_url(account: CustomerAccount) -> str:
    return reverse("customers:account-tier", args=[account.pk])


def test_the_tier_page_explains_band_and_strategic_step(client: Client, csm: Member) -> None:
    current_tier_settings()
    account = CustomerAccountFactory(arr_minor=5_000_000, is_strategic=True, touch_tier="high")
    html = client.get(tier_url(account)).content.decode()
    assert "Measured by ARR: ¥5,000,000." in html
    assert "Its band: <strong>Low touch</strong>." in html
    assert "Strategic account: one tier up, to <strong>High touch</strong>." in html


def test_the_tier_page_explains_a_computed_ltv(client: Client, csm: Member) -> None:
    settings = current_tier_settings()
    settings.basis = "ltv"
    settings.save()
    account = CustomerAccountFactory(arr_minor=1_000_000, expected_lifetime_months=24)
    html = client.get(tier_url(account)).content.decode()
    assert "Measured by LTV: ¥2,000,000, computed as ARR ¥1,000,000 × 24 months ÷ 12." in html


def test_setting_a_tier_by_hand_needs_a_reason(client: Client, csm: Member) -> None:
    account = CustomerAccountFactory(arr_minor=5_000_000, touch_tier="low")
    response = client.post(tier_url(account), {"tier_override": "high", "reason": ""})
    assert response.status_code == 400
    assert "Say why you change this account&#x27;s tier" in response.content.decode()
    assert CustomerAccount.objects.get(pk=account.pk).tier_override == ""


def test_setting_a_tier_by_hand_saves_and_shows_it_in_the_history(
    client: Client, csm: Member
) -> None:
    current_tier_settings()
    account = CustomerAccountFactory(arr_minor=5_000_000, touch_tier="low")
    response = client.post(
        tier_url(account), {"tier_override": "high", "reason": "全社導入の交渉中"}, follow=True
    )
    html = response.content.decode()
    assert "is now High touch." in html
    assert "Set by hand to <strong>High touch</strong>" in html
    assert "Reason: 全社導入の交渉中" in html
    assert "Low touch → High touch" in html
    assert CustomerAccount.objects.get(pk=account.pk).touch_tier == "high"


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("administrator", 200),
        ("csm", 200),
        ("sales", 403),
        ("executive", 403),
        ("marketing", 403),
        ("community_manager", 403),
    ],
)
def test_who_opens_an_accounts_tier_page(client: Client, role: str, status: int) -> None:
    account = CustomerAccountFactory(arr_minor=5_000_000)
    client.force_login(StaffFactory(staff_role=role))
    assert client.get(tier_url(account)).status_code == status
    assert client.post(tier_url(account), {"tier_override": "high", "reason": "x"}).status_code in {
        status if status != 200 else 302
    }


def test_a_missing_account_is_not_found(client: Client, csm: Member) -> None:
    assert client.get(reverse("customers:account-tier", args=[999_999])).status_code == 404
