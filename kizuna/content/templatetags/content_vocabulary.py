"""The thread vocabulary (kizuna.content.vocabulary) for templates.

{% thread_words post as words %}  {{ words.form_heading }}
{% response_count post.post_type page.paginator.count %}  → "3 replies"
{% response_stat_label post %}  → "replies", under post.answer_count in a feed row
{% comments_first post as asker_box %}  → the asker's box opens on a comment
"""

from django import template

from kizuna.content.models import Post
from kizuna.content.vocabulary import ThreadWords, thread_words
from kizuna.identity.permissions import Viewer, is_signed_in

register = template.Library()


@register.simple_tag(name="thread_words")
def thread_words_tag(post: Post) -> ThreadWords:
    return thread_words(post.post_type)


@register.simple_tag
def response_count(post_type: str, number: int) -> str:
    return thread_words(post_type).count(number)


@register.simple_tag
def response_stat_label(post: Post) -> str:
    return thread_words(post.post_type).stat_label(post.answer_count)


@register.simple_tag(takes_context=True)
def comments_first(context: template.Context, post: Post) -> bool:
    """The asker's own box on a question posts a comment, not an answer.

    What an asker adds under their question is mostly a detail they left out or thanks,
    which as an answer would count the question as answered; answering it themself stays
    one click away.
    """
    viewer: Viewer | None = context.get("user")
    return post.is_question and is_signed_in(viewer) and viewer.pk == post.author_id
