from datetime import timedelta

import pytest
from django.utils import timezone

from kizuna.identity.models import Member
from kizuna.identity.tests.factories import MemberFactory
from kizuna.moderation.models import BlockedTerm, SpaceModerationSettings
from kizuna.moderation.rules import evaluate_content
from kizuna.moderation.tests.factories import PostFactory, VeteranFactory
from kizuna.spaces.models import AccessType
from kizuna.spaces.tests.factories import SpaceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

THREE_LINKS = "https://a.example/1 https://b.example/2 https://c.example/3"


def trusted_member() -> Member:
    member = VeteranFactory()
    PostFactory.create_batch(3, author=member)
    return member


def test_holds_a_blocked_word_in_japanese_and_english() -> None:
    BlockedTerm.objects.create(kind="word", value="副業")
    BlockedTerm.objects.create(kind="word", value="casino")

    japanese = evaluate_content(
        author=trusted_member(), space=SpaceFactory(), title="副業で稼ぐ", body=""
    )
    english = evaluate_content(
        author=trusted_member(), space=SpaceFactory(), title="Online CASINO", body=""
    )

    assert japanese.reasons == ["Contains a blocked word '副業'"]
    assert english.reasons == ["Contains a blocked word 'casino'"]


def test_holds_links_to_a_blocked_domain_and_its_subdomains() -> None:
    BlockedTerm.objects.create(kind="domain", value="spam.example")

    decision = evaluate_content(
        author=trusted_member(),
        space=SpaceFactory(),
        title="見て",
        body="https://www.spam.example/x",
    )

    assert decision.reasons == ["Links to a blocked domain 'spam.example'"]


def test_a_blocked_domain_does_not_match_other_domains() -> None:
    BlockedTerm.objects.create(kind="domain", value="spam.example")

    decision = evaluate_content(
        author=trusted_member(), space=SpaceFactory(), title="x", body="https://notspam.example/"
    )

    assert not decision.is_held


def test_new_member_may_post_two_links_in_an_open_space() -> None:
    decision = evaluate_content(
        author=MemberFactory(),
        space=SpaceFactory(),
        title="Links",
        body="https://a.example/1 https://b.example/2",
    )

    assert not decision.is_held


def test_new_member_with_three_links_is_held_with_the_limit_explained() -> None:
    decision = evaluate_content(
        author=MemberFactory(), space=SpaceFactory(), title="リンク集", body=THREE_LINKS
    )

    assert decision.reasons == ["New members may include at most 2 links in a post; this one has 3"]


def test_trusted_member_may_post_many_links() -> None:
    decision = evaluate_content(
        author=trusted_member(), space=SpaceFactory(), title="Links", body=THREE_LINKS
    )

    assert not decision.is_held


def test_link_limit_applies_only_in_open_spaces() -> None:
    space = SpaceFactory(access_type=AccessType.PRIVATE)

    decision = evaluate_content(author=MemberFactory(), space=space, title="x", body=THREE_LINKS)

    assert not decision.is_held


def test_space_may_hold_every_link_from_new_members() -> None:
    space = SpaceFactory()
    SpaceModerationSettings.objects.create(space=space, hold_new_member_links=True)
    member = MemberFactory(date_joined=timezone.now() - timedelta(days=2))

    decision = evaluate_content(author=member, space=space, title="x", body="https://a.example/")

    assert decision.reasons == [
        "Links from new members are reviewed before they appear in this space"
    ]
