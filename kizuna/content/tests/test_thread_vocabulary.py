"""A thread names what members write under a post after the post's type.

Questions collect answers, discussions replies, case studies, articles and announcements
comments: the heading, the facts box, the empty state, the reply box, the locked notice,
the sign-in prompt, the feed row and the edit page all say so.
"""

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import translation

from kizuna.content.models import Post, PostType
from kizuna.content.tests.factories import AnswerFactory, PostFactory
from kizuna.content.vocabulary import RESPONSE_KIND, thread_words
from kizuna.identity.tests.factories import MemberFactory, StaffFactory

pytestmark = pytest.mark.django_db

# post type → heading for two responses, date label, count label, box heading, button
WORDS: dict[str, tuple[str, str, str, str, str]] = {
    PostType.QUESTION: ("2 answers", "Asked", "Answers", "Your answer", "Post your answer"),
    PostType.DISCUSSION: ("2 replies", "Posted", "Replies", "Your reply", "Post your reply"),
    PostType.CASE_STUDY: ("2 comments", "Posted", "Comments", "Your comment", "Post your comment"),
    PostType.ARTICLE: ("2 comments", "Posted", "Comments", "Your comment", "Post your comment"),
    PostType.ANNOUNCEMENT: (
        "2 comments",
        "Posted",
        "Comments",
        "Your comment",
        "Post your comment",
    ),
}
EMPTY: dict[str, str] = {
    PostType.QUESTION: "No answers yet. Do you know how to help?",
    PostType.DISCUSSION: "No replies yet. Share your view.",
    PostType.CASE_STUDY: "No comments yet.",
    PostType.ARTICLE: "No comments yet.",
    PostType.ANNOUNCEMENT: "No comments yet.",
}
LOCKED: dict[str, str] = {
    PostType.QUESTION: "This thread is locked. No new answers.",
    PostType.DISCUSSION: "This thread is locked. No new replies.",
    PostType.CASE_STUDY: "This thread is locked. No new comments.",
}
SIGN_IN: dict[str, str] = {
    PostType.QUESTION: "Sign in to answer",
    PostType.DISCUSSION: "Sign in to reply",
    PostType.CASE_STUDY: "Sign in to comment",
}


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    cache.clear()


def thread_url(post: Post) -> str:
    return reverse("content:post-detail", args=[post.pk])


def _text(html: str, selector_id: str) -> str:
    """The text of the element with this id, tags stripped, whitespace collapsed."""
    match = re.search(rf'id="{selector_id}"[^>]*>(.*?)</', html, re.S)
    assert match, selector_id
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


def _facts(html: str) -> list[tuple[str, str]]:
    facts = re.search(r'<dl class="facts">(.*?)</dl>', html, re.S)
    assert facts
    return re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", facts.group(1))


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize("post_type", list(WORDS))
def test_a_thread_names_its_responses_after_the_post_type(client: Client, post_type: str) -> None:
    post = PostFactory(post_type=post_type, answer_count=2)
    AnswerFactory.create_batch(2, post=post)
    client.force_login(StaffFactory() if post_type == PostType.ANNOUNCEMENT else MemberFactory())
    html = client.get(thread_url(post)).content.decode()
    heading, date_label, count_label, box_heading, button = WORDS[post_type]
    assert _text(html, "answers-heading") == heading
    labels = [label for label, _ in _facts(html)]
    assert labels[0] == date_label
    assert (count_label, "2") in _facts(html)
    assert f"<h2>{box_heading}</h2>" in html
    assert f'<button type="submit" class="button">{button}</button>' in html


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize("post_type", [PostType.DISCUSSION, PostType.CASE_STUDY])
def test_a_discussion_or_case_study_never_speaks_of_asking_or_answers(
    client: Client, post_type: str
) -> None:
    post = PostFactory(post_type=post_type, answer_count=1)
    AnswerFactory(post=post)
    client.force_login(MemberFactory())
    html = client.get(thread_url(post)).content.decode()
    page = html[html.index('<div class="layout-two">') : html.index("</main>")]
    words = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert "Asked" not in words
    assert "answer" not in words.lower()


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize("post_type", list(EMPTY))
def test_an_empty_thread_says_so_in_its_own_words(client: Client, post_type: str) -> None:
    post = PostFactory(post_type=post_type)
    html = client.get(thread_url(post)).content.decode()
    assert _text(html, "no-answers") == EMPTY[post_type]
    assert _text(html, "answers-heading") == WORDS[post_type][0].replace("2", "0")


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize("post_type", list(LOCKED))
def test_a_locked_thread_says_what_can_no_longer_be_posted(client: Client, post_type: str) -> None:
    post = PostFactory(post_type=post_type, is_locked=True)
    client.force_login(MemberFactory())
    assert LOCKED[post_type] in client.get(thread_url(post)).content.decode()


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize("post_type", list(SIGN_IN))
def test_a_visitor_is_invited_to_sign_in_to_respond_in_the_types_words(
    client: Client, post_type: str
) -> None:
    post = PostFactory(post_type=post_type)
    assert f">{SIGN_IN[post_type]}</a>" in client.get(thread_url(post)).content.decode()


@pytest.mark.parametrize("post_type", [PostType.QUESTION, PostType.DISCUSSION, PostType.CASE_STUDY])
def test_a_japanese_thread_uses_its_types_words(client: Client, post_type: str) -> None:
    post = PostFactory(post_type=post_type, answer_count=1)
    AnswerFactory(post=post)
    client.force_login(MemberFactory())
    html = client.get(thread_url(post)).content.decode()
    with translation.override("ja"):
        words = thread_words(post_type)
        heading = words.count(1)
        asked = thread_words(PostType.QUESTION).date_label
    assert _text(html, "answers-heading") == heading
    assert _facts(html)[0][0] == words.date_label
    assert f"<h2>{words.form_heading}</h2>" in html
    if post_type != PostType.QUESTION:
        assert asked not in html


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(
    ("post_type", "label"),
    [
        (PostType.QUESTION, "answers"),
        (PostType.DISCUSSION, "replies"),
        (PostType.CASE_STUDY, "comments"),
    ],
)
def test_a_feed_row_counts_responses_in_the_types_words(
    client: Client, post_type: str, label: str
) -> None:
    post = PostFactory(post_type=post_type, answer_count=3)
    html = client.get(reverse("content:space-feed", args=[post.space.slug])).content.decode()
    assert f"<strong>3</strong><span>{label}</span>" in html


@pytest.mark.usefixtures("english")
def test_a_feed_row_with_one_reply_says_reply(client: Client) -> None:
    post = PostFactory(post_type=PostType.DISCUSSION, answer_count=1)
    html = client.get(reverse("content:space-feed", args=[post.space.slug])).content.decode()
    assert "<strong>1</strong><span>reply</span>" in html


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(
    ("post_type", "title"),
    [(PostType.QUESTION, "Edit answer"), (PostType.DISCUSSION, "Edit reply")],
)
def test_the_edit_page_of_a_response_is_named_after_the_type(
    client: Client, post_type: str, title: str
) -> None:
    answer = AnswerFactory(post=PostFactory(post_type=post_type))
    client.force_login(answer.author)
    html = client.get(reverse("content:answer-edit", args=[answer.pk])).content.decode()
    assert f"<h1>{title}</h1>" in html


@pytest.mark.usefixtures("english")
def test_comments_on_a_case_study_comment_are_replies_and_the_post_has_one_comment_box(
    client: Client,
) -> None:
    post = PostFactory(post_type=PostType.CASE_STUDY)
    AnswerFactory(post=post)
    client.force_login(MemberFactory())
    html = client.get(thread_url(post)).content.decode()
    assert '<summary class="small">Add a reply</summary>' in html
    assert 'id="comment-form-post"' not in html


def test_every_post_type_has_words() -> None:
    assert set(RESPONSE_KIND) == set(PostType.values)
