"""Shapes of the CRM import API: a job, its progress and counts, and its rows' errors."""

from datetime import datetime
from typing import Literal

from ninja import Field, Schema

from kizuna.core.api_pagination import PageMeta

ImportKindValue = Literal["accounts", "contacts"]
ImportStatusValue = Literal["mapping", "checking", "checked", "running", "done", "failed"]
ImportSourceValue = Literal["salesforce", "hubspot", "kizuna", "other"]


class ImportProgressOut(Schema):
    phase: Literal["checking", "writing"] = Field(
        description="Checking every row, then (for an import) writing them."
    )
    done: int
    total: int


class ImportCountsOut(Schema):
    created: int = Field(description="Rows that create (or, once checked, would create) a record.")
    updated: int
    unchanged: int
    rejected: int = Field(description="Rows with an error; a file with any is not imported.")


class ImportJobFields(Schema):
    id: int
    kind: ImportKindValue
    status: ImportStatusValue = Field(
        description=(
            "checking → checked (see counts.rejected) → running after POST …/run → done; "
            "failed when an unexpected error stopped it (nothing written)."
        )
    )
    file_name: str
    encoding: str = Field(
        description="How the file was read, e.g. UTF-8 (BOM) or Shift_JIS (CP932)."
    )
    recognised_as: ImportSourceValue = Field(description="The CRM whose export headers were found.")
    headers: list[str]
    mapping: list[str] = Field(
        description="The field each column fills, in the file's order; an empty string is ignored."
    )
    rows: int
    progress: ImportProgressOut | None = Field(description="While checking or running.")
    counts: ImportCountsOut
    failure: str = Field(description="Why a failed job stopped.")
    created_at: datetime
    finished_at: datetime | None


class ImportJobOut(ImportJobFields):
    pass


class ImportRowErrorOut(Schema):
    line: int = Field(description="The file's line the row starts on; the header is line 1.")
    column: str = Field(description="The column's header, or empty for the whole row.")
    message: str


class ImportJobPageOut(ImportJobFields, PageMeta):
    items: list[ImportRowErrorOut] = Field(description="The rejected rows' errors, by line.")
