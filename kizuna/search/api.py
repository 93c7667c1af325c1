"""The search API: the same permission-filtered search as the search page.

`search_posts` applies the visibility rule inside its query, so neither the items nor
the count include a post the viewer may not read.
"""

from datetime import date

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router
from ninja.pagination import paginate
from ninja.params.functions import Query as QueryParam

from kizuna.core.api_errors import ERROR_RESPONSES, ApiError
from kizuna.core.api_pagination import LimitOffsetPage, PageParams, Window
from kizuna.core.api_types import ID_MAX
from kizuna.identity.api_auth import api_auth, get_actor
from kizuna.identity.models import ApiKey
from kizuna.identity.permissions import Viewer
from kizuna.identity.schemas import MemberRefOut
from kizuna.search.schemas import PostTypeValue, SearchHitOut, SearchPageOut
from kizuna.search.selectors import search_posts
from kizuna.spaces.permissions import listed_spaces

router = Router()

READ = api_auth(ApiKey.Scope.CONTENT_READ)


def _space_id(viewer: Viewer, slug: str | None) -> int | None:
    if not slug:
        return None
    space_id = listed_spaces(viewer).filter(slug=slug).values_list("pk", flat=True).first()
    if space_id is None:
        raise ApiError(
            422,
            "invalid",
            _("Some fields are not valid."),
            {"space": [_("There is no space with this address.")]},
        )
    return space_id


@router.get(
    "/search",
    response={200: SearchPageOut, **ERROR_RESPONSES},
    auth=READ,
    tags=["search"],
    summary="Search posts in Japanese and English",
)
@paginate(LimitOffsetPage, pass_parameter="page")
def search(
    request: HttpRequest,
    q: str = QueryParam(..., max_length=200, description="Words to find; every word must match."),
    space: str | None = QueryParam(None, max_length=80, description="A space's slug."),
    post_type: PostTypeValue | None = None,
    tag: str | None = QueryParam(None, max_length=60, description="A tag's slug."),
    solved: bool | None = None,
    author: int | None = QueryParam(None, ge=1, le=ID_MAX, description="An author's id."),
    date_from: date | None = None,
    date_to: date | None = None,
    **paging: PageParams,
) -> Window:
    """Best match first, recency breaking ties. `offset` is rounded down to a multiple of `limit`."""
    if "\x00" in q:
        raise ApiError(
            422,
            "invalid",
            _("Some fields are not valid."),
            {"q": [_("Text cannot contain the NUL character.")]},
        )
    viewer = get_actor(request)
    page = paging["page"]
    number = page.offset // page.limit + 1
    results = search_posts(
        viewer,
        q,
        space=_space_id(viewer, space),
        post_type=post_type,
        tag=tag or None,
        solved=solved,
        author=author,
        date_from=date_from,
        date_to=date_to,
        page=number,
        per_page=page.limit,
    )
    # Past the end the paginator would repeat the last page; an API answers nothing there.
    is_past_the_end = results.page.number != number
    hits = [] if is_past_the_end else list(results.page)
    return Window(
        items=[
            SearchHitOut(
                post_id=hit.document.post_id,
                space=hit.document.space.slug,
                post_type=hit.document.post_type,  # type: ignore[arg-type]
                title=hit.document.title,
                author=MemberRefOut.of(hit.document.author),
                is_solved=hit.document.is_solved,
                created_at=hit.document.created_at,
                last_activity_at=hit.document.last_activity_at,
                title_html=str(hit.title_html),
                snippet_html=str(hit.snippet_html),
                url=hit.url,
            )
            for hit in hits
        ],
        count=results.total,
        offset=(number - 1) * page.limit,
        has_more=not is_past_the_end and results.page.has_next(),
        extra={"is_count_capped": results.is_total_capped, "is_ranked": results.is_ranked},
    )
