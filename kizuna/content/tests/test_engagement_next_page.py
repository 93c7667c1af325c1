import pytest
from django.test import Client

from kizuna.content.templatetags.content_engagement import thread_url
from kizuna.content.tests.factories import PostFactory
from kizuna.identity.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("next_value", ["!!!", "²", "1e3"])
def test_bookmark_with_a_next_that_is_no_page_goes_back_to_the_thread(
    client: Client, next_value: str
) -> None:
    post = PostFactory()
    client.force_login(MemberFactory())
    response = client.post(f"/engagement/posts/{post.pk}/bookmark/", {"next": next_value})
    assert response.status_code == 302
    assert response["Location"] == thread_url(post)
