"""Input and output shapes of the customer accounts API: accounts, contacts and custom fields.

Amounts are integers in the currency's minor unit (yen for JPY, cents for USD). Economic
fields (amounts, lifetime, touch tier, strategic flag, custom fields) are null in answers to
staff who may not see customer economics (`economics_visible` says which), and writing them
is refused with 403.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import StringConstraints

from kizuna.core.api_pagination import PageMeta
from kizuna.core.api_types import NoNul, ObjectId

AccountStatusValue = Literal["active", "churned"]
LifecycleValue = Literal["onboarding", "adoption", "expansion", "renewal", "at_risk", "churned"]
TierValue = Literal["high", "low", "tech"]
EmployeeBandValue = Literal["", "1-49", "50-299", "300-999", "1000-4999", "5000+"]
CustomFieldKindValue = Literal["text", "number", "date", "choice"]
AccountName = Annotated[str, StringConstraints(max_length=200), NoNul]
Domain = Annotated[str, StringConstraints(max_length=253), NoNul]
Reason = Annotated[str, StringConstraints(max_length=1000), NoNul]
Text100 = Annotated[str, StringConstraints(max_length=100), NoNul]
Text200 = Annotated[str, StringConstraints(max_length=200), NoNul]
CrmId = Annotated[str, StringConstraints(max_length=32), NoNul]
ExternalId = Annotated[str, StringConstraints(max_length=100), NoNul]
Email = Annotated[str, StringConstraints(max_length=254), NoNul]
Phone = Annotated[str, StringConstraints(max_length=50), NoNul]
CurrencyCode = Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{3}$")]
# Up to a quadrillion minor units: more than any ARR, and inside PostgreSQL's bigint.
MinorAmount = Annotated[int, Field(ge=0, le=10**15)]
LifetimeMonths = Annotated[int, Field(ge=1, le=600)]
CustomValueIn = (
    Annotated[str, StringConstraints(max_length=500), NoNul] | int | float | Decimal | None
)
CustomValueOut = str | int | float | date | None


class AccountOut(Schema):
    id: int
    name: str
    status: AccountStatusValue
    domains: list[str]
    member_count: int
    created_at: datetime
    updated_at: datetime
    plan: str | None = Field(description="The plan's name.")
    lifecycle_stage: LifecycleValue
    csm_owner_id: int | None
    csm_owner_email: str | None
    contract_start: date | None
    renewal_date: date | None
    industry: str
    region: str
    employee_band: EmployeeBandValue
    external_id: str
    salesforce_id: str
    hubspot_id: str
    currency: str
    economics_visible: bool = Field(
        description="Whether the caller may see customer economics; when false the economic "
        "fields below are null."
    )
    arr_minor: int | None = Field(description="ARR in the currency's minor unit.")
    mrr_minor: int | None
    ltv_minor: int | None = Field(description="LTV as imported; null when it is computed.")
    ltv_computed_minor: int | None = Field(
        description="LTV = ARR × expected lifetime in months ÷ 12, for accounts without one."
    )
    expected_lifetime_months: int | None
    touch_tier: TierValue | None
    is_strategic: bool | None
    custom_fields: dict[str, CustomValueOut] | None = Field(
        description="Custom field values keyed by the field's key."
    )


class AccountPageOut(PageMeta):
    items: list[AccountOut]


class AccountFieldsIn(Schema):
    """The fields an account may be given; a field left out stays as it is."""

    plan: Text100 | None = Field(None, description="A plan's name; null takes the plan off.")
    lifecycle_stage: LifecycleValue | None = None
    csm_owner_email: Email | None = Field(
        None, description="The email a staff member signs in with; null or empty: no owner."
    )
    contract_start: date | None = None
    renewal_date: date | None = None
    industry: Text100 | None = None
    region: Text100 | None = None
    employee_band: EmployeeBandValue | None = None
    salesforce_id: CrmId | None = None
    hubspot_id: CrmId | None = None
    currency: CurrencyCode | None = None
    arr_minor: MinorAmount | None = None
    mrr_minor: MinorAmount | None = None
    ltv_minor: MinorAmount | None = Field(None, description="Null: computed from ARR.")
    expected_lifetime_months: LifetimeMonths | None = None
    is_strategic: bool | None = None
    custom_fields: dict[Text100, CustomValueIn] | None = Field(
        None, description="Values keyed by the field's key; null clears a value.", max_length=100
    )


class AccountIn(AccountFieldsIn):
    name: AccountName
    domains: list[Domain] = Field(default_factory=list, max_length=50)
    status: AccountStatusValue | None = None
    external_id: ExternalId | None = None


class AccountPatchIn(AccountFieldsIn):
    name: AccountName | None = None
    domains: list[Domain] | None = Field(None, max_length=50)
    status: AccountStatusValue | None = None
    external_id: ExternalId | None = None


class AccountUpsertIn(AccountFieldsIn):
    """A CRM record: creates the account (name needed) or updates the fields given."""

    name: AccountName | None = None
    domains: list[Domain] | None = Field(None, max_length=50)


class AccountLinkIn(Schema):
    member_id: int = Field(ge=1, le=2_147_483_647)
    reason: Reason = ""


class UnlinkIn(Schema):
    reason: Reason = ""


class AccountLinkOut(Schema):
    account_id: int
    member_id: int
    source: Literal["email_domain", "staff"]
    linked_at: datetime


class ContactOut(Schema):
    id: int
    account_id: int
    email: str
    full_name: str
    title: str
    phone: str
    external_id: str
    is_primary: bool
    member_id: int | None = Field(description="The member with this verified address, if any.")
    created_at: datetime
    updated_at: datetime


class ContactPageOut(PageMeta):
    items: list[ContactOut]


class ContactIn(Schema):
    email: Email
    full_name: Text200 = ""
    title: Text200 = ""
    phone: Phone = ""
    external_id: ExternalId = ""
    is_primary: bool = False


class ContactPatchIn(Schema):
    email: Email | None = None
    full_name: Text200 | None = None
    title: Text200 | None = None
    phone: Phone | None = None
    external_id: ExternalId | None = None
    is_primary: bool | None = None
    account_id: ObjectId | None = Field(None, description="Move the contact to this account.")


class ContactUpsertIn(Schema):
    """A CRM contact: creates it (email and account needed) or updates the fields given."""

    account_id: ObjectId | None = None
    account_external_id: ExternalId | None = Field(
        None, description="The account's external ID, instead of account_id."
    )
    email: Email | None = None
    full_name: Text200 | None = None
    title: Text200 | None = None
    phone: Phone | None = None
    is_primary: bool | None = None


class CustomFieldOut(Schema):
    key: str
    label: str
    kind: CustomFieldKindValue
    choices: list[str]
    help_text: str
    position: int


class CustomFieldPageOut(PageMeta):
    items: list[CustomFieldOut]
