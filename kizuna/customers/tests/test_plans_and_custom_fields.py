"""Plans (add, rename, reorder, delete only when unused) and custom field definitions (key from a
Latin label, kind fixed once used, choices in use kept, delete with a count), for staff who
configure customer success; every change audited."""

import pytest
from django.test import Client
from django.urls import reverse

from kizuna.core.models import AuditEntry
from kizuna.customers.models import CustomerAccount, CustomField, CustomFieldValue, Plan
from kizuna.customers.tests.factories import (
    CustomerAccountFactory,
    CustomFieldFactory,
    PlanFactory,
)
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import StaffFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
PLANS = reverse("customers:plans")
FIELDS = reverse("customers:custom-fields")


@pytest.fixture
def csm(client: Client) -> Member:
    staff: Member = StaffFactory(staff_role="csm")
    client.force_login(staff)
    return staff


def plan_names() -> list[str]:
    return list(Plan.objects.order_by("rank").values_list("name", flat=True))


def test_plans_are_added_at_the_end_and_moved(client: Client, csm: Member) -> None:
    for name in ("Starter", "Standard", "Enterprise"):
        assert client.post(PLANS, {"name": name}).status_code == 302
    assert plan_names() == ["Starter", "Standard", "Enterprise"]
    enterprise = Plan.objects.get(name="Enterprise")
    client.post(reverse("customers:plan-move", args=[enterprise.pk]), {"direction": "up"})
    assert plan_names() == ["Starter", "Enterprise", "Standard"]
    starter = Plan.objects.get(name="Starter")
    client.post(reverse("customers:plan-move", args=[starter.pk]), {"direction": "up"})
    assert plan_names() == ["Starter", "Enterprise", "Standard"]
    assert list(Plan.objects.order_by("rank").values_list("rank", flat=True)) == [1, 2, 3]
    assert AuditEntry.objects.filter(action="plan.created").count() == 3
    assert AuditEntry.objects.filter(action="plan.reordered").count() == 1


def test_a_duplicate_plan_name_is_a_field_error(client: Client, csm: Member) -> None:
    PlanFactory(name="Standard")
    response = client.post(PLANS, {"name": "standard"})
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["name"]


def test_renaming_a_plan(client: Client, csm: Member) -> None:
    plan = PlanFactory(name="Pro")
    url = reverse("customers:plan-edit", args=[plan.pk])
    response = client.post(url, {"name": "Professional", "description": "会計連携"})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.name, plan.description) == ("Professional", "会計連携")
    entry = AuditEntry.objects.get(action="plan.updated")
    assert entry.details == {"from": "Pro", "to": "Professional"}


def test_a_plan_in_use_is_not_deleted_and_the_page_says_why(client: Client, csm: Member) -> None:
    plan = PlanFactory(name="Standard")
    CustomerAccountFactory.create_batch(2, plan=plan)
    url = reverse("customers:plan-delete", args=[plan.pk])
    assert "2 accounts are on Standard" in client.get(url).content.decode()

    response = client.post(url)

    assert response.status_code == 400
    assert "2 accounts are on Standard" in response.content.decode()
    assert Plan.objects.filter(pk=plan.pk).exists()
    assert not AuditEntry.objects.filter(action="plan.deleted").exists()


def test_an_unused_plan_is_deleted(client: Client, csm: Member) -> None:
    plan = PlanFactory(name="Legacy")
    response = client.post(reverse("customers:plan-delete", args=[plan.pk]))
    assert response.status_code == 302
    assert not Plan.objects.exists()
    assert AuditEntry.objects.get(action="plan.deleted").target_label == "Legacy"


def test_a_latin_label_makes_the_key(client: Client, csm: Member) -> None:
    response = client.post(FIELDS, {"label": "Contract type", "kind": "text"})
    assert response.status_code == 302
    field = CustomField.objects.get()
    assert (field.key, field.label, field.kind) == ("contract_type", "Contract type", "text")
    assert AuditEntry.objects.filter(action="custom_field.created").count() == 1


def test_a_japanese_label_asks_for_a_key(client: Client, csm: Member) -> None:
    response = client.post(FIELDS, {"label": "契約形態", "kind": "text"})
    assert response.status_code == 400
    assert "no Latin letters" in response.context["form"].errors["key"][0]
    assert (
        client.post(FIELDS, {"label": "契約形態", "key": "keiyaku", "kind": "text"}).status_code
        == 302
    )
    assert CustomField.objects.get().key == "keiyaku"


def test_choices_are_one_per_line(client: Client, csm: Member) -> None:
    response = client.post(
        FIELDS,
        {"label": "Plan term", "kind": "choice", "choices": "年間\n月額\n\n年間\n 複数年 "},
    )
    assert response.status_code == 302
    assert CustomField.objects.get().choices == ["年間", "月額", "複数年"]
    empty = client.post(FIELDS, {"label": "Other", "kind": "choice", "choices": ""})
    assert "choices" in empty.context["form"].errors


def test_the_kind_is_fixed_once_an_account_has_a_value(client: Client, csm: Member) -> None:
    field = CustomFieldFactory(key="seats", label="Seats", kind=CustomField.Kind.TEXT)
    CustomFieldValue.objects.create(account=CustomerAccountFactory(), field=field, text_value="10")
    url = reverse("customers:custom-field-edit", args=[field.pk])
    assert client.get(url).context["form"].fields["kind"].disabled
    response = client.post(url, {"label": "Seats bought", "kind": "number"})
    field.refresh_from_db()
    # The disabled input keeps the kind; the label changes.
    assert response.status_code == 302
    assert (field.label, field.kind) == ("Seats bought", "text")


def test_a_choice_in_use_cannot_be_removed(client: Client, csm: Member) -> None:
    field = CustomFieldFactory(key="term", label="Term", kind="choice", choices=["年間", "月額"])
    CustomFieldValue.objects.create(
        account=CustomerAccountFactory(), field=field, text_value="月額"
    )
    url = reverse("customers:custom-field-edit", args=[field.pk])
    response = client.post(url, {"label": "Term", "kind": "choice", "choices": "年間"})
    assert response.status_code == 400
    assert "月額" in response.context["form"].errors["choices"][0]
    field.refresh_from_db()
    assert field.choices == ["年間", "月額"]


def test_deleting_a_field_says_how_many_accounts_lose_a_value(client: Client, csm: Member) -> None:
    field = CustomFieldFactory(key="seats", label="Seats", kind="number")
    for account in CustomerAccountFactory.create_batch(3):
        CustomFieldValue.objects.create(account=account, field=field, number_value=1)
    url = reverse("customers:custom-field-delete", args=[field.pk])
    assert "3 accounts have a value for this field" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert not CustomField.objects.exists()
    assert not CustomFieldValue.objects.exists()
    assert CustomerAccount.objects.count() == 3
    entry = AuditEntry.objects.get(action="custom_field.deleted")
    assert entry.details == {"key": "seats", "accounts_with_value": 3}


@pytest.mark.parametrize("role", ["sales", "marketing", "community_manager", "executive"])
def test_only_staff_who_configure_customer_success_open_these_pages(
    client: Client, role: str
) -> None:
    client.force_login(StaffFactory(staff_role=role))
    plan = PlanFactory()
    field = CustomFieldFactory()
    for url in (
        PLANS,
        FIELDS,
        reverse("customers:plan-edit", args=[plan.pk]),
        reverse("customers:plan-delete", args=[plan.pk]),
        reverse("customers:custom-field-edit", args=[field.pk]),
        reverse("customers:custom-field-delete", args=[field.pk]),
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(PLANS, {"name": "X"}).status_code == 403
    assert client.post(reverse("customers:plan-delete", args=[plan.pk])).status_code == 403
    assert Plan.objects.count() == 1
    assert CustomField.objects.count() == 1


def test_pages_have_empty_states(client: Client, csm: Member) -> None:
    assert "No plans yet" in client.get(PLANS).content.decode()
    assert "No custom fields yet" in client.get(FIELDS).content.decode()
