from datetime import datetime
from typing import Any

from kizuna.content.models import Answer, Post, PostType, Tag
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import MemberFactory
from kizuna.search.indexing import index_post
from kizuna.spaces.models import Space
from kizuna.spaces.tests.factories import SpaceFactory


def indexed_post(
    title: str,
    body: str = "",
    *,
    space: Space | None = None,
    author: Member | None = None,
    post_type: str = PostType.QUESTION,
    tags: list[Tag] | None = None,
    last_activity_at: datetime | None = None,
    **fields: Any,
) -> Post:
    """A post written straight to the table (as a service would), then indexed."""
    post = Post.objects.create(
        space=space or SpaceFactory(),
        author=author or MemberFactory(),
        post_type=post_type,
        title=title,
        body=body,
        **fields,
    )
    if tags:
        post.tags.set(tags)
    if last_activity_at is not None:
        Post.objects.filter(pk=post.pk).update(
            last_activity_at=last_activity_at, created_at=last_activity_at
        )
    index_post(post.pk)
    post.refresh_from_db()
    return post


def solve(post: Post, body: str = "回答です") -> Answer:
    answer = Answer.objects.create(post=post, author=MemberFactory(), body=body)
    Post.objects.filter(pk=post.pk).update(accepted_answer=answer)
    index_post(post.pk)
    return answer
