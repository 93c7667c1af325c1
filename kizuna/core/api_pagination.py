"""Limit/offset pagination for API lists: every list answers with its items and the total."""

from collections.abc import Callable
from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase

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


class LimitOffsetPage(PaginationBase):
    """Ninja's `@paginate` with the shape every list answers with: items, count, limit, offset.

    `Output = None` keeps the page schema the endpoint declares, so the OpenAPI document names
    it as before (Ninja would otherwise generate `Paged<Item>`); `shape` turns one page of rows
    into their output items, after the slice, so per-page lookups stay one query.
    """

    Input = PageParams  # type: ignore[assignment]
    Output = None  # type: ignore[assignment]

    def __init__(self, *, shape: Callable[[list[Any]], list[Any]], **kwargs: Any) -> None:
        self.shape = shape
        super().__init__(**kwargs)

    def paginate_queryset(
        self, queryset: QuerySet[Any], pagination: PageParams, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        result = page_of(queryset, pagination)
        result["items"] = self.shape(result["items"])
        return result
