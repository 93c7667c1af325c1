import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from kizuna.content.models import ContentStatus, Post
from kizuna.identity.tests.factories import MemberFactory, StaffFactory
from kizuna.moderation.models import SpaceModerationSettings
from kizuna.spaces.models import AccessType, Space
from kizuna.spaces.tests.factories import SpaceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    cache.clear()


def create_url(space: Space) -> str:
    return reverse("content:post-create", args=[space.slug])


def _data(**overrides: str) -> dict[str, str]:
    data = {
        "post_type": "question",
        "title": "請求書の発行方法",
        "body": "手順を教えてください",
        "tags": "請求",
        "submission_token": "form-1",
    }
    data.update(overrides)
    return data


def test_composer_offers_types_without_announcement_to_members(client: Client) -> None:
    client.force_login(MemberFactory())
    html = client.get(create_url(SpaceFactory())).content.decode()
    assert 'value="case_study"' in html
    assert 'value="announcement"' not in html


def test_composer_offers_announcement_to_staff(client: Client) -> None:
    client.force_login(StaffFactory())
    assert 'value="announcement"' in client.get(create_url(SpaceFactory())).content.decode()


def test_composer_sends_anonymous_visitors_to_sign_in(client: Client) -> None:
    response = client.get(create_url(SpaceFactory()))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_posting_redirects_to_the_new_thread(client: Client) -> None:
    client.force_login(MemberFactory())
    response = client.post(create_url(SpaceFactory()), _data())
    post = Post.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("content:post-detail", args=[post.pk])


def test_double_submitted_form_creates_one_post(client: Client) -> None:
    client.force_login(MemberFactory())
    space = SpaceFactory()
    first = client.post(create_url(space), _data())
    second = client.post(create_url(space), _data())
    assert Post.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_empty_title_is_shown_as_a_form_error(client: Client) -> None:
    client.force_login(MemberFactory())
    response = client.post(create_url(SpaceFactory()), _data(title=""))
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert Post.objects.count() == 0


def test_member_cannot_post_an_announcement(client: Client) -> None:
    client.force_login(MemberFactory())
    response = client.post(create_url(SpaceFactory()), _data(post_type="announcement"))
    assert response.status_code == 400
    assert Post.objects.count() == 0


def test_non_member_of_private_space_gets_the_denial_page(client: Client) -> None:
    client.force_login(MemberFactory())
    response = client.post(create_url(SpaceFactory(access_type=AccessType.PRIVATE)), _data())
    assert response.status_code == 403
    assert Post.objects.count() == 0


def test_promotional_post_is_held_with_a_message(client: Client) -> None:

    space = SpaceFactory()
    SpaceModerationSettings.objects.update_or_create(
        space=space, defaults={"forbid_promotion": True}
    )
    client.force_login(MemberFactory())
    response = client.post(
        create_url(space), _data(body="今だけ特別価格！お見積もりはこちら"), follow=True
    )
    assert Post.objects.get().status == ContentStatus.HELD
    assert "Your post is held for review." in response.content.decode()


def test_preview_renders_markdown_for_htmx(client: Client) -> None:
    client.force_login(MemberFactory())
    response = client.post(
        reverse("content:markdown-preview"),
        {"body": "**太字** <script>x</script>"},
        headers={"HX-Request": "true"},
    )
    assert response.content.decode() == (
        '<div class="markdown"><p><strong>太字</strong> &lt;script&gt;x&lt;/script&gt;</p>\n</div>\n'
    )


def test_a_punctuation_only_tag_gets_a_form_error_and_writes_nothing(client: Client) -> None:
    space = SpaceFactory()
    client.force_login(MemberFactory())
    # Twice: the second attempt used to collide with the tag the first had created.
    responses = [
        client.post(create_url(space), _data(tags="請求, !!!", submission_token=token))
        for token in ("form-1", "form-2")
    ]
    assert [response.status_code for response in responses] == [400, 400]
    assert "“!!!” cannot be a tag: a tag needs at least one letter or digit." in (
        responses[1].content.decode()
    )
    assert not Post.objects.exists()
