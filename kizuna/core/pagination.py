from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

DEFAULT_PAGE_SIZE = 25


def paginate(
    request: HttpRequest, queryset: QuerySet[Any], *, per_page: int = DEFAULT_PAGE_SIZE
) -> Page[Any]:
    """Return the requested page; a page number out of range or not a number gives the nearest page."""
    paginator = Paginator(queryset, per_page)
    return paginator.get_page(request.GET.get("page"))
