"""Output shapes of the search API."""

from datetime import datetime
from typing import Literal

from ninja import Field, Schema

from kizuna.core.api_pagination import PageMeta
from kizuna.identity.schemas import MemberRefOut

PostTypeValue = Literal["question", "discussion", "case_study", "article", "announcement"]


class SearchHitOut(Schema):
    post_id: int
    space: str = Field(description="The space's slug.")
    post_type: PostTypeValue
    title: str
    author: MemberRefOut
    is_solved: bool
    created_at: datetime
    last_activity_at: datetime
    title_html: str = Field(description="The title, escaped, with the query's terms in <mark>.")
    snippet_html: str = Field(description="An excerpt, escaped, with the query's terms in <mark>.")
    url: str = Field(description="The thread's page.")


class SearchPageOut(PageMeta):
    items: list[SearchHitOut]
    is_count_capped: bool = Field(
        description="The count stopped at 1,000: there are at least that many matches."
    )
    is_ranked: bool = Field(
        description="Whether this page is ordered by relevance (the first 200 matches are)."
    )
