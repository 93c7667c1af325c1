"""The content visibility rule as a query and as a check must give the same answers."""

import pytest
from django.contrib.auth.models import AnonymousUser

from kizuna.content.models import ContentStatus, Post
from kizuna.content.permissions import can_view_post, posts_visible_to
from kizuna.customers.tests.factories import make_customer
from kizuna.identity.tests.factories import MemberFactory, StaffFactory
from kizuna.spaces.models import AccessType, SpaceRole
from kizuna.spaces.tests.factories import MembershipFactory, SpaceFactory

pytestmark = pytest.mark.django_db


def make_post(*, access_type: str, status: str) -> Post:
    space = SpaceFactory(access_type=access_type)
    return Post.objects.create(
        space=space, author=make_customer(), title="t", body="b", status=status
    )


@pytest.mark.parametrize("access_type", AccessType.values)
@pytest.mark.parametrize("status", ContentStatus.values)
def test_query_and_check_agree_for_every_kind_of_viewer(access_type: str, status: str) -> None:
    post = make_post(access_type=access_type, status=status)
    space_moderator = make_customer()
    MembershipFactory(space=post.space, member=space_moderator, role=SpaceRole.MODERATOR)
    viewers = [
        AnonymousUser(),
        MemberFactory(),
        make_customer(),
        post.author,
        space_moderator,
        StaffFactory(staff_role="moderator"),
        StaffFactory(staff_role="sales"),
    ]
    for viewer in viewers:
        in_query = posts_visible_to(viewer).filter(pk=post.pk).exists()
        assert in_query == can_view_post(viewer, post), (viewer, access_type, status)


def test_staff_moderators_see_held_posts_in_lists() -> None:
    post = make_post(access_type=AccessType.OPEN, status=ContentStatus.HELD)
    assert list(posts_visible_to(StaffFactory(staff_role="moderator"))) == [post]
    assert list(posts_visible_to(StaffFactory(staff_role="sales"))) == []
