import uuid

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from kizuna.content.models import Post
from kizuna.identity.tests.factories import MemberFactory
from kizuna.spaces.models import AccessType
from kizuna.spaces.tests.factories import SpaceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_new_member_posting_too_fast_gets_429_and_nothing_is_written(
    client: Client, settings: Settings
) -> None:
    settings.KIZUNA_RATE_LIMITS = {"post_new_member": (2, 3600)}
    space = SpaceFactory(access_type=AccessType.OPEN)
    client.force_login(MemberFactory())
    url = reverse("content:post-create", args=[space.slug])
    statuses = []
    for number in range(3):
        form = {
            "post_type": "question",
            "title": f"請求書の発行について {number}",
            "body": "手順を教えてください。",
            "submission_token": uuid.uuid4().hex,
        }
        statuses.append(client.post(url, form).status_code)
    assert statuses == [302, 302, 429]
    assert Post.objects.filter(space=space).count() == 2
