"""What an operation acts on, found for the viewer: 404 when they may not read it, so nothing
hidden is confirmed; the access entries and the spaces policy decide."""

from django.db.models import QuerySet
from django.http import Http404

from kizuna.content.access import access_answer, access_post
from kizuna.content.models import Answer, Post
from kizuna.identity.models import Member
from kizuna.spaces.models import Space
from kizuna.spaces.permissions import SpaceAccessDeniedError, get_space_access, listed_spaces


def find_post(viewer: Member, post_id: int) -> Post:
    """A post the viewer may read, with what its detail shows, or 404."""
    return access_post(viewer, post_id).post


def find_answer(viewer: Member, answer_id: int) -> Answer:
    """An answer the viewer may read, in a thread they may read, or 404."""
    return access_answer(viewer, answer_id).answer


def find_space(viewer: Member, slug: str) -> Space:
    space = listed_spaces(viewer).filter(slug=slug).first()
    if space is None:
        raise Http404
    return space


def find_readable_space(viewer: Member, slug: str) -> Space:
    space = find_space(viewer, slug)
    access = get_space_access(viewer, space)
    if not access.can_view_content:
        raise SpaceAccessDeniedError(access)
    return space


def with_list_relations(posts: QuerySet[Post]) -> QuerySet[Post]:
    # The selectors already prefetch the tags.
    return posts.select_related("space", "author")
