"""Limit/offset pagination for every API list, through Ninja's `@paginate(LimitOffsetPage)`.

Every list answers one envelope: `items`, `count` (the total), `limit`, `offset` and
`has_more`, plus the fields a list adds of its own (the unread count of notifications, the
period of a leaderboard). A list endpoint returns `Rows` (a queryset and how a page of it
becomes items) or, when it cuts its page itself, a `Window`; the paginator does the rest.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

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
    has_more: bool = Field(description="Whether items follow this page.")


@dataclass(frozen=True)
class Rows(Generic[M]):
    """What a list endpoint returns: the rows in order, and how one page of them becomes the
    items. The shaping runs on the page only, so it can look up what the page needs in one
    query, and it may use what only the call knows (the viewer, the thread)."""

    rows: QuerySet[M]
    shape: Callable[[list[M]], list[Any]]
    extra: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Window:
    """A page an endpoint cut itself from the `PageParams` it was passed (`pass_parameter`),
    for a list that is not a sliced queryset: a ranked search, a leaderboard never counted in
    full (`count` None). `offset` is the one the page really starts at."""

    items: list[Any]
    count: int | None
    offset: int
    has_more: bool
    extra: Mapping[str, object] = field(default_factory=dict)


class LimitOffsetPage(PaginationBase):
    """Ninja's `@paginate` with the envelope every list answers with.

    `Output = None` keeps the page schema the endpoint declares (Ninja would otherwise
    generate `Paged<Item>`), so a list can document its own extra fields and the OpenAPI
    document keeps its schema names.
    """

    Input = PageParams  # type: ignore[assignment]
    Output = None  # type: ignore[assignment]

    # Ninja hands over whatever the endpoint returned, here always Rows or a Window.
    def paginate_queryset(  # type: ignore[override]
        self,
        queryset: Rows[Any] | Window,
        pagination: PageParams,
        request: HttpRequest,
        **params: Any,
    ) -> dict[str, object]:
        window = queryset if isinstance(queryset, Window) else _window_of(queryset, pagination)
        return {
            **window.extra,
            "items": window.items,
            "count": window.count,
            "limit": pagination.limit,
            "offset": window.offset,
            "has_more": window.has_more,
        }


def _window_of(rows: Rows[Any], page: PageParams) -> Window:
    """One page with the total: two queries, one when there is nothing to list."""
    count = rows.rows.count()
    found = list(rows.rows[page.offset : page.offset + page.limit]) if count else []
    return Window(
        items=rows.shape(found),
        count=count,
        offset=page.offset,
        has_more=page.offset + len(found) < count,
        extra=rows.extra,
    )
