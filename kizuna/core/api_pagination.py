"""Limit/offset pagination for API lists: every list answers with its items and the total."""

from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from ninja import Field, Schema

MAX_LIMIT = 100
DEFAULT_LIMIT = 25

M = TypeVar("M", bound=Model)


class PageParams(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="How many items to return.")
    offset: int = Field(0, ge=0, le=1_000_000, description="How many items to skip.")


class PageMeta(Schema):
    count: int = Field(description="How many items there are in all.")
    limit: int
    offset: int


def page_of(queryset: QuerySet[M], params: PageParams) -> dict[str, Any]:
    """One page of `queryset` with the total count: two queries."""
    count = queryset.count()
    items = list(queryset[params.offset : params.offset + params.limit]) if count else []
    return {"items": items, "count": count, "limit": params.limit, "offset": params.offset}
