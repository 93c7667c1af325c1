import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from kizuna.identity.tests.factories import MemberFactory
from kizuna.moderation.models import Flag
from kizuna.moderation.rate_limits import RateLimitExceededError, check_rate_limit
from kizuna.moderation.tests.factories import PostFactory, VeteranFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_new_member_may_post_three_times_an_hour() -> None:
    member = MemberFactory()
    for _ in range(3):
        check_rate_limit(member, "post")

    with pytest.raises(RateLimitExceededError) as raised:
        check_rate_limit(member, "post")

    assert raised.value.message.startswith(
        "You have reached the limit of 3 for this action per hour."
    )
    assert 0 < raised.value.retry_after <= 3600


def test_basic_members_have_the_larger_post_limit() -> None:
    member = VeteranFactory()
    PostFactory.create_batch(3, author=member)

    for _ in range(10):
        check_rate_limit(member, "post")


def test_limits_count_each_member_separately() -> None:
    first, second = MemberFactory(), MemberFactory()
    for _ in range(3):
        check_rate_limit(first, "post")

    check_rate_limit(second, "post")


def test_limits_come_from_settings(settings: Settings) -> None:
    settings.KIZUNA_RATE_LIMITS = {"post_new_member": (1, 60)}
    member = MemberFactory()
    check_rate_limit(member, "post")

    with pytest.raises(RateLimitExceededError):
        check_rate_limit(member, "post")


def test_a_limit_set_to_none_is_off(settings: Settings) -> None:
    settings.KIZUNA_RATE_LIMITS = {"post_new_member": None, "post": None}
    member = MemberFactory()

    for _ in range(10):
        check_rate_limit(member, "post")


def test_flag_endpoint_answers_429_with_a_clear_message(client: Client, settings: Settings) -> None:
    settings.KIZUNA_RATE_LIMITS = {"flag": (1, 3600)}
    member = MemberFactory()
    client.force_login(member)
    first, second = PostFactory(), PostFactory()
    client.post(reverse("moderation:flag", args=["post", first.pk]), {"reason": "spam"})

    response = client.post(reverse("moderation:flag", args=["post", second.pk]), {"reason": "spam"})

    assert response.status_code == 429
    assert "You have reached the limit of 1 for this action per hour." in response.content.decode()
    assert response["Retry-After"]
    assert list(Flag.objects.values_list("post_id", flat=True)) == [first.pk]


def test_flag_endpoint_answers_429_as_json(client: Client, settings: Settings) -> None:
    settings.KIZUNA_RATE_LIMITS = {"flag": (0, 3600)}
    client.force_login(MemberFactory())

    response = client.post(
        reverse("moderation:flag", args=["post", PostFactory().pk]),
        {"reason": "spam"},
        HTTP_ACCEPT="application/json",
    )

    assert response.status_code == 429
    assert response.json()["error"] == "rate_limited"
    assert response.json()["action"] == "flag"
    assert not Flag.objects.exists()
