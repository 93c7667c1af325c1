import datetime
from typing import Literal

from ninja import Schema

from kizuna.core.api_pagination import PageMeta
from kizuna.identity.schemas import MemberRefOut

ObjectiveStatusValue = Literal["not_started", "on_track", "at_risk", "achieved"]


class SessionOut(Schema):
    number: int
    date: datetime.date
    title: str


class ProgrammeOut(Schema):
    id: int
    title: str
    description: str
    status: str
    space_slug: str
    owner: MemberRefOut
    sessions: list[SessionOut]


class ProgrammePageOut(PageMeta):
    items: list[ProgrammeOut]


class ProgressPointOut(Schema):
    phase: int
    achieved: int
    objectives: int


class MapOut(Schema):
    id: int
    title: str
    participant: MemberRefOut
    account_id: int | None
    phase_count: int
    achieved_share: float | None
    trend: list[ProgressPointOut]


class MapPageOut(PageMeta):
    items: list[MapOut]


class ElementOut(Schema):
    id: int
    lineage: str
    kind: str
    text: str
    target: str
    status: str
    factor: str
    objective_ids: list[int]


class PhaseOut(Schema):
    id: int
    number: int
    session_number: int | None
    happened: str
    results: str
    decisions: str
    insight: str
    elements: list[ElementOut]


class PhasePageOut(PageMeta):
    items: list[PhaseOut]


class ObjectiveStatusIn(Schema):
    status: ObjectiveStatusValue
