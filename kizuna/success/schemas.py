"""Shapes of the Customer 360 API: an account's summary and the accounts with expansion signals."""

from datetime import date, datetime

from ninja import Field, Schema

from kizuna.core.api_pagination import PageMeta


class WeekOut(Schema):
    week_start: date = Field(description="The Monday the week starts (community time zone).")
    actions: int = Field(description="What the account's members did in the community that week.")


class AccountSummaryOut(Schema):
    account_id: int
    name: str
    members: int = Field(description="Members linked to the account.")
    active_members_30_days: int
    active_members_90_days: int
    questions: int = Field(description="Published questions asked by the account's members.")
    answers: int = Field(description="Published answers to questions by the account's members.")
    case_studies: int
    events_attended_90_days: int = Field(
        description="Attendances at events that started in the last 90 days."
    )
    open_plays: int | None = Field(
        description="Plays open on the account; null for staff who may not see customer economics."
    )
    weekly_activity: list[WeekOut] = Field(description="The last 26 weeks, oldest first.")


class SignalAccountRefOut(Schema):
    id: int
    name: str


class SignalAccountOut(Schema):
    account: SignalAccountRefOut
    plan: str
    signal_count: int = Field(description="Actions × capability tags in the last 90 days.")
    member_count: int = Field(description="Members who showed a signal.")
    arr_minor: int | None = Field(description="ARR in the currency's minor unit.")
    currency: str
    latest_at: datetime
    capabilities: list[str] = Field(description="Names of the capability tags asked about.")


class SignalAccountPageOut(PageMeta):
    items: list[SignalAccountOut]
