import pytest
from django.test import Client
from django.urls import reverse

from kizuna.content.models import Answer, Post
from kizuna.identity.tests.factories import MemberFactory
from kizuna.spaces.models import AccessType
from kizuna.spaces.tests.factories import SpaceFactory

pytestmark = pytest.mark.django_db


def test_members_can_flag_other_peoples_posts_and_answers_from_the_thread(client: Client) -> None:
    post = Post.objects.create(
        space=SpaceFactory(access_type=AccessType.OPEN), author=MemberFactory(), title="t", body="b"
    )
    answer = Answer.objects.create(post=post, author=MemberFactory(), body="a")
    client.force_login(MemberFactory())
    html = client.get(reverse("content:post-detail", args=[post.pk])).content.decode()
    assert reverse("moderation:flag", args=["post", post.pk]) in html
    assert reverse("moderation:flag", args=["answer", answer.pk]) in html


def test_authors_get_no_flag_link_on_their_own_post(client: Client) -> None:
    author = MemberFactory()
    post = Post.objects.create(
        space=SpaceFactory(access_type=AccessType.OPEN), author=author, title="t", body="b"
    )
    client.force_login(author)
    html = client.get(reverse("content:post-detail", args=[post.pk])).content.decode()
    assert reverse("moderation:flag", args=["post", post.pk]) not in html
