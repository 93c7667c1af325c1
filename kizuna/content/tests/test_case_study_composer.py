"""A case study starts from its headings, and its consent is worded as the member's own."""

import html as html_lib
import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import translation

from kizuna.content.models import Post
from kizuna.content.vocabulary import case_study_template
from kizuna.identity.tests.factories import MemberFactory
from kizuna.spaces.models import Space
from kizuna.spaces.tests.factories import SpaceFactory

pytestmark = pytest.mark.django_db

CASE_STUDY_HEADINGS = "## Challenge\n\n\n## What we did\n\n\n## Results\n\n\n## Next steps\n"
CONSENT = (
    "I agree that this case study, including my company&#x27;s name, may be featured on the "
    "vendor&#x27;s website and materials."
)


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    cache.clear()


def create_url(space: Space) -> str:
    return reverse("content:post-create", args=[space.slug])


def _body(html: str) -> str:
    match = re.search(r'<textarea name="body"[^>]*>(.*?)</textarea>', html, re.S)
    assert match
    # Django writes a newline after the opening tag, which browsers drop.
    return html_lib.unescape(match.group(1)).removeprefix("\n")


@pytest.mark.usefixtures("english")
def test_choosing_case_study_starts_the_body_from_the_headings(client: Client) -> None:
    client.force_login(MemberFactory())
    html = client.get(create_url(SpaceFactory()), {"type": "case_study"}).content.decode()
    assert _body(html) == CASE_STUDY_HEADINGS
    assert re.search(r'<input[^>]*value="case_study"[^>]*checked', html)


@pytest.mark.usefixtures("english")
def test_a_question_starts_from_an_empty_body_with_the_headings_at_hand(client: Client) -> None:
    client.force_login(MemberFactory())
    html = client.get(create_url(SpaceFactory())).content.decode()
    assert _body(html) == ""
    assert 'data-case-study-template="## Challenge' in html
    assert "js/post-type.js" in html


@pytest.mark.usefixtures("english")
def test_a_body_sent_back_with_an_error_is_kept_as_written(client: Client) -> None:
    client.force_login(MemberFactory())
    response = client.post(
        create_url(SpaceFactory()),
        {"post_type": "case_study", "title": "", "body": "導入の経緯", "submission_token": "cs-1"},
    )
    assert response.status_code == 400
    assert _body(response.content.decode()) == "導入の経緯"


def test_the_headings_are_in_the_members_language(client: Client) -> None:
    client.force_login(MemberFactory())
    html = client.get(create_url(SpaceFactory()), {"type": "case_study"}).content.decode()
    with translation.override("ja"):
        expected = case_study_template()
    assert _body(html) == expected


@pytest.mark.usefixtures("english")
def test_the_consent_is_worded_as_the_members_own(client: Client) -> None:
    client.force_login(MemberFactory())
    html = client.get(create_url(SpaceFactory()), {"type": "case_study"}).content.decode()
    assert CONSENT in html
    assert "The vendor may quote" not in html


@pytest.mark.usefixtures("english")
def test_a_case_study_posted_with_consent_keeps_it(client: Client) -> None:
    client.force_login(MemberFactory())
    client.post(
        create_url(SpaceFactory()),
        {
            "post_type": "case_study",
            "title": "請求業務を半日に短縮",
            "body": CASE_STUDY_HEADINGS + "月末の締め作業が3日から半日になりました。",
            "public_use_consent": "on",
            "submission_token": "cs-2",
        },
    )
    assert Post.objects.get().public_use_consent is True
