"""The includes the thread page renders: content/engagement/post_actions.html and answer_actions.html."""

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kizuna.content.models import Answer, Post
from kizuna.content.tests.engagement_factories import QuestionFactory, TagFactory, answered
from kizuna.identity.tests.factories import MemberFactory, StaffFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _render(template: str, viewer: Any, **context: Any) -> str:
    request = RequestFactory().get("/posts/1/")
    request.user = viewer
    return render_to_string(template, {"user": viewer, **context}, request=request)


def _answers_html(viewer: Any, post: Post, answers: list[Answer]) -> str:
    request = RequestFactory().get("/posts/1/")
    request.user = viewer
    return "".join(
        render_to_string(
            "content/engagement/answer_actions.html",
            {"user": viewer, "answer": answer, "post": post},
            request=request,
        )
        for answer in answers
    )


def test_post_actions_offer_like_bookmark_and_follows_to_a_member() -> None:
    tag = TagFactory()
    post = QuestionFactory()
    post.tags.add(tag)
    html = _render("content/engagement/post_actions.html", MemberFactory(), post=post)
    for name, key in (
        ("post-react", post.pk),
        ("post-bookmark", post.pk),
        ("post-follow", post.pk),
        ("space-follow", post.space.slug),
        ("tag-follow", tag.slug),
    ):
        assert reverse(f"engagement:{name}", args=[key]) in html


def test_post_actions_show_only_the_like_count_to_anonymous_readers() -> None:
    post = QuestionFactory(reaction_count=4)
    html = _render("content/engagement/post_actions.html", AnonymousUser(), post=post)
    assert '<span class="reaction-count">4</span>' in html
    assert "<form" not in html


def test_post_actions_do_not_offer_a_like_on_ones_own_post() -> None:
    post = QuestionFactory()
    html = _render("content/engagement/post_actions.html", post.author, post=post)
    assert reverse("engagement:post-react", args=[post.pk]) not in html


def test_post_actions_offer_promotion_to_staff_moderators_on_solved_threads() -> None:
    post = QuestionFactory()
    post.accepted_answer = answered(post)
    post.save()
    moderator_html = _render(
        "content/engagement/post_actions.html", StaffFactory(staff_role="moderator"), post=post
    )
    member_html = _render("content/engagement/post_actions.html", MemberFactory(), post=post)
    promote_url = reverse("engagement:knowledge-promote", args=[post.pk])
    assert promote_url in moderator_html
    assert promote_url not in member_html


def test_answer_actions_query_count_does_not_grow_with_answers() -> None:
    post = QuestionFactory()
    answers = [answered(post) for _ in range(6)]
    viewer = post.author
    with CaptureQueriesContext(connection) as one:
        _answers_html(viewer, post, answers[:1])
    with CaptureQueriesContext(connection) as six:
        _answers_html(viewer, post, answers)
    assert len(six) == len(one)
