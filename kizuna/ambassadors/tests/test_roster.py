"""The ambassador roster: who may see it and change it, what it shows, and the selectors the
plays and the Customer 360 read."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from kizuna.ambassadors import services
from kizuna.ambassadors.models import Ambassador
from kizuna.ambassadors.selectors import accounts_with_ambassadors, active_ambassadors
from kizuna.ambassadors.tests.factories import AmbassadorFactory
from kizuna.core.models import AuditEntry
from kizuna.customers.models import TouchTier
from kizuna.customers.tests.factories import CustomerAccountFactory, make_customer
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import MemberFactory, StaffFactory
from tests.api.conftest import ApiClient, make_key

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
ROSTER = reverse("ambassadors:roster")
ADD = reverse("ambassadors:add")


def signed_in(client: Client, role: str) -> Member:
    staff: Member = StaffFactory(staff_role=role)
    client.force_login(staff)
    return staff


def test_selectors_find_active_ambassadors_and_their_accounts() -> None:
    with_one, with_retired, without = (CustomerAccountFactory() for _ in range(3))
    active = AmbassadorFactory(member=make_customer(account=with_one))
    AmbassadorFactory(member=make_customer(account=with_one))  # a second one: listed once
    AmbassadorFactory(member=make_customer(account=with_retired), status=Ambassador.Status.RETIRED)
    make_customer(account=without)
    assert active in active_ambassadors()
    assert active_ambassadors().count() == 2
    assert list(accounts_with_ambassadors()) == [with_one]


def test_a_csm_adds_a_member_by_email_and_it_is_audited(client: Client) -> None:
    csm = signed_in(client, "csm")
    account = CustomerAccountFactory(name="株式会社アクメ")
    member = make_customer(account=account, email="hanako@acme.example.jp")
    response = client.post(ADD, {"email": "Hanako@ACME.example.jp", "note": "登壇経験あり"})
    assert response.status_code == 302
    ambassador = Ambassador.objects.get(member=member)
    assert (ambassador.status, ambassador.note, ambassador.added_by) == (
        "active",
        "登壇経験あり",
        csm,
    )
    entry = AuditEntry.objects.get(action="ambassadors.added")
    assert (entry.actor, entry.target_id) == (csm, str(member.pk))


def test_adding_an_unknown_address_a_staff_member_or_a_repeat_is_refused_in_words(
    client: Client,
) -> None:
    signed_in(client, "csm")
    unknown = client.post(ADD, {"email": "nobody@example.jp"})
    assert unknown.status_code == 400
    assert "No member has signed up with this email address." in unknown.content.decode()
    staff = StaffFactory(staff_role="marketing")
    refused = client.post(ADD, {"email": staff.email})
    assert "Staff members cannot join the ambassador programme." in refused.content.decode()
    member = AmbassadorFactory().member
    repeat = client.post(ADD, {"email": member.email})
    assert repeat.status_code == 400
    assert "is already an ambassador" in repeat.content.decode()
    assert Ambassador.objects.count() == 1
    assert not AuditEntry.objects.exists()


def test_retiring_needs_a_reason_and_keeps_the_row(client: Client) -> None:
    signed_in(client, "administrator")
    ambassador = AmbassadorFactory()
    url = reverse("ambassadors:retire", args=[ambassador.pk])
    missing = client.post(url, {"reason": "  "})
    assert missing.status_code == 400
    assert "Say why this ambassador is retiring." in missing.content.decode()
    ambassador.refresh_from_db()
    assert ambassador.status == "active"
    client.post(url, {"reason": "異動のため"})
    ambassador.refresh_from_db()
    assert (ambassador.status, ambassador.retired_reason) == ("retired", "異動のため")
    assert ambassador.retired_at is not None
    assert AuditEntry.objects.get(action="ambassadors.retired").reason == "異動のため"


def test_retiring_by_htmx_answers_the_row(client: Client) -> None:
    signed_in(client, "csm")
    ambassador = AmbassadorFactory()
    response = client.post(
        reverse("ambassadors:retire", args=[ambassador.pk]),
        {"reason": "本人の希望"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="ambassador-{ambassador.pk}"' in html
    assert "本人の希望" in html
    assert "<html" not in html


def test_a_retired_ambassador_added_again_is_active_on_the_same_row() -> None:
    admin = StaffFactory(staff_role="administrator")
    ambassador = AmbassadorFactory(status=Ambassador.Status.RETIRED, retired_reason="休職")
    again = services.add_ambassador(actor=admin, member=ambassador.member)
    assert again.pk == ambassador.pk
    assert (again.status, again.retired_reason, again.retired_at) == ("active", "", None)
    entry = AuditEntry.objects.get(action="ambassadors.added")
    assert entry.details == {"previous_status": "retired"}


def test_the_roster_shows_accounts_to_all_staff_and_tiers_only_with_economics(
    client: Client,
) -> None:
    account = CustomerAccountFactory(name="株式会社ハイ", touch_tier=TouchTier.HIGH)
    AmbassadorFactory(member=make_customer(account=account, display_name="山田花子"))
    signed_in(client, "marketing")
    html = client.get(ROSTER).content.decode()
    assert "山田花子" in html and "株式会社ハイ" in html
    assert "High touch" not in html
    assert "Add an ambassador" not in html  # marketing does not manage accounts
    signed_in(client, "sales")
    assert "High touch" in client.get(ROSTER).content.decode()


def test_the_roster_filters_by_status_and_search(client: Client) -> None:
    signed_in(client, "csm")
    active = AmbassadorFactory(member=MemberFactory(display_name="佐藤"))
    retired = AmbassadorFactory(
        member=MemberFactory(display_name="鈴木"), status=Ambassador.Status.RETIRED
    )
    rows = lambda **params: list(client.get(ROSTER, params).context["page"].object_list)  # noqa: E731
    assert rows() == [active]
    assert rows(status="retired") == [retired]
    assert set(rows(status="all")) == {active, retired}
    assert rows(status="all", q="鈴木") == [retired]


def test_only_staff_who_manage_accounts_change_the_roster(client: Client) -> None:
    ambassador = AmbassadorFactory()
    signed_in(client, "marketing")
    assert client.get(ROSTER).status_code == 200
    assert client.post(ADD, {"email": MemberFactory().email}).status_code == 403
    retire = reverse("ambassadors:retire", args=[ambassador.pk])
    assert client.post(retire, {"reason": "x"}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.retire_ambassador(
            actor=StaffFactory(staff_role="sales"), ambassador=ambassador, reason="x"
        )
    ambassador.refresh_from_db()
    assert ambassador.status == "active"


def test_members_cannot_open_the_roster(client: Client) -> None:
    client.force_login(make_customer())
    assert client.get(ROSTER).status_code == 403


def test_the_api_lists_the_roster_with_tiers_only_for_economics() -> None:
    account = CustomerAccountFactory(name="株式会社ロー", touch_tier=TouchTier.LOW)
    ambassador = AmbassadorFactory(member=make_customer(account=account))
    sales = ApiClient(
        Client(), {"HTTP_AUTHORIZATION": f"Bearer {make_key(StaffFactory(staff_role='sales'))}"}
    )
    body = sales.get("/api/ambassadors").json()
    assert body["count"] == 1
    [item] = body["items"]
    assert item["id"] == ambassador.pk
    assert item["account"] == {"id": account.pk, "name": "株式会社ロー", "touch_tier": "low"}
    marketing = ApiClient(
        Client(),
        {"HTTP_AUTHORIZATION": f"Bearer {make_key(StaffFactory(staff_role='marketing'))}"},
    )
    assert marketing.get("/api/ambassadors").json()["items"][0]["account"]["touch_tier"] is None
    member_session = Client()
    member_session.force_login(make_customer())
    assert ApiClient(member_session).get("/api/ambassadors").status_code == 403


def test_the_service_refuses_a_nul_in_the_note() -> None:
    with pytest.raises(ValidationError):
        services.add_ambassador(
            actor=StaffFactory(staff_role="csm"), member=MemberFactory(), note="a\x00b"
        )
