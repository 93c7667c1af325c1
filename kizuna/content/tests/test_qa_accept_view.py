import pytest
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse

from kizuna.content.models import Post
from kizuna.content.tests.engagement_factories import QuestionFactory, answered
from kizuna.identity.tests.factories import MemberFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_accept_without_htmx_redirects_back_with_a_message(client: Client) -> None:
    question = QuestionFactory()
    answer = answered(question)
    client.force_login(question.author)
    response = client.post(
        reverse("engagement:answer-accept", args=[answer.pk]), {"next": "/spaces/"}, follow=True
    )
    assert response.redirect_chain == [("/spaces/", 302)]
    assert "You accepted this answer. The question is solved." in response.content.decode()
    assert Post.objects.get(pk=question.pk).accepted_answer_id == answer.pk


def test_accept_with_htmx_returns_the_accepted_fragment(client: Client) -> None:
    question = QuestionFactory()
    answer = answered(question)
    client.force_login(question.author)
    response = client.post(reverse("engagement:answer-accept", args=[answer.pk]), **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith(f'<div id="accept-answer-{answer.pk}"')
    assert "Accepted answer" in html
    assert reverse("engagement:answer-unaccept", args=[question.pk]) in html
    assert "hx-swap-oob" not in html


def test_moving_the_mark_with_htmx_updates_the_old_answer_out_of_band(client: Client) -> None:
    question = QuestionFactory()
    first, second = answered(question), answered(question)
    question.accepted_answer = first
    question.save()
    client.force_login(question.author)
    html = client.post(
        reverse("engagement:answer-accept", args=[second.pk]), **HTMX
    ).content.decode()
    assert (
        f'<div id="accept-answer-{first.pk}" class="engagement-button accept" hx-swap-oob="true">'
        in html
    )
    assert reverse("engagement:answer-accept", args=[first.pk]) in html


def test_unaccept_with_htmx_offers_accept_again(client: Client) -> None:
    question = QuestionFactory()
    answer = answered(question)
    question.accepted_answer = answer
    question.save()
    client.force_login(question.author)
    html = client.post(
        reverse("engagement:answer-unaccept", args=[question.pk]), **HTMX
    ).content.decode()
    assert reverse("engagement:answer-accept", args=[answer.pk]) in html
    assert Post.objects.get(pk=question.pk).accepted_answer_id is None


def test_another_member_is_refused_and_nothing_changes(client: Client) -> None:
    question = QuestionFactory()
    answer = answered(question)
    client.force_login(MemberFactory())
    response = client.post(reverse("engagement:answer-accept", args=[answer.pk]), **HTMX)
    assert response.status_code == 403
    assert Post.objects.get(pk=question.pk).accepted_answer_id is None


def test_answer_actions_show_accept_only_to_the_asker(client: Client) -> None:
    question = QuestionFactory()
    answer = answered(question)
    request = RequestFactory().get("/")
    request.user = question.author
    asker_html = render_to_string(
        "content/engagement/answer_actions.html",
        {"answer": answer, "post": question, "user": question.author},
        request=request,
    )
    request = RequestFactory().get("/")
    request.user = MemberFactory()
    other_html = render_to_string(
        "content/engagement/answer_actions.html",
        {"answer": answer, "post": question, "user": request.user},
        request=request,
    )
    accept_url = reverse("engagement:answer-accept", args=[answer.pk])
    assert accept_url in asker_html
    assert accept_url not in other_html
