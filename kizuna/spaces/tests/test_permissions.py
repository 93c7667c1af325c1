import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from kizuna.customers.models import CustomerAccount
from kizuna.customers.tests.factories import CustomerAccountFactory, make_customer
from kizuna.identity.tests.factories import MemberFactory, StaffFactory
from kizuna.spaces.models import AccessType, Membership, SpaceRole
from kizuna.spaces.permissions import Denial, get_space_access, spaces_with_visible_content
from kizuna.spaces.tests.factories import JoinRequestFactory, MembershipFactory, SpaceFactory

pytestmark = pytest.mark.django_db


def test_anonymous_reads_open_space_but_cannot_join() -> None:
    access = get_space_access(AnonymousUser(), SpaceFactory(access_type=AccessType.OPEN))
    assert access.can_view_content and not access.can_join


def test_anonymous_is_asked_to_sign_in_for_private_space() -> None:
    access = get_space_access(AnonymousUser(), SpaceFactory(access_type=AccessType.PRIVATE))
    assert not access.can_view_content
    assert access.denial == Denial.SIGN_IN


def test_non_customer_is_told_private_space_is_for_customers_only() -> None:
    access = get_space_access(MemberFactory(), SpaceFactory(access_type=AccessType.PRIVATE))
    assert (access.can_view_content, access.can_join, access.denial) == (
        False,
        False,
        Denial.CUSTOMERS_ONLY,
    )


def test_customer_of_active_account_reads_and_may_join_private_space() -> None:
    access = get_space_access(make_customer(), SpaceFactory(access_type=AccessType.PRIVATE))
    assert access.can_view_content and access.can_join


def test_member_of_churned_account_loses_private_space() -> None:
    customer = make_customer(CustomerAccountFactory(status=CustomerAccount.Status.CHURNED))
    space = SpaceFactory(access_type=AccessType.PRIVATE)
    MembershipFactory(space=space, member=customer)
    assert get_space_access(customer, space).denial == Denial.CUSTOMERS_ONLY


def test_non_customer_invited_by_staff_reads_private_space() -> None:
    partner = MemberFactory()
    space = SpaceFactory(access_type=AccessType.PRIVATE)
    MembershipFactory(space=space, member=partner, via=Membership.Via.STAFF_INVITATION)
    assert get_space_access(partner, space).can_view_content


def test_application_space_hides_content_until_approved() -> None:
    space = SpaceFactory(access_type=AccessType.APPLICATION)
    applicant = MemberFactory()
    assert get_space_access(applicant, space).can_apply
    JoinRequestFactory(space=space, applicant=applicant)
    access = get_space_access(applicant, space)
    assert (access.can_view_content, access.can_apply, access.denial) == (
        False,
        False,
        Denial.APPLICATION_PENDING,
    )


def test_space_moderator_may_moderate_but_not_plain_member() -> None:
    space = SpaceFactory(access_type=AccessType.APPLICATION)
    moderator = MembershipFactory(space=space, role=SpaceRole.MODERATOR).member
    member = MembershipFactory(space=space).member
    assert get_space_access(moderator, space).can_moderate
    assert not get_space_access(member, space).can_moderate


def test_subgroup_content_needs_the_parent_content() -> None:
    parent = SpaceFactory(access_type=AccessType.PRIVATE)
    subgroup = SpaceFactory(access_type=AccessType.OPEN, parent=parent)
    assert get_space_access(MemberFactory(), subgroup).denial == Denial.PARENT_REQUIRED
    assert get_space_access(make_customer(), subgroup).can_view_content


def test_every_staff_role_reads_private_space_but_only_managers_manage() -> None:
    space = SpaceFactory(access_type=AccessType.PRIVATE)
    assert get_space_access(StaffFactory(staff_role="sales"), space).can_view_content
    assert not get_space_access(StaffFactory(staff_role="sales"), space).can_manage
    assert get_space_access(StaffFactory(staff_role="community_manager"), space).can_manage


def test_archived_space_is_hidden_from_members() -> None:
    space = SpaceFactory(access_type=AccessType.OPEN, archived_at=timezone.now())
    member = MembershipFactory(space=space).member
    assert get_space_access(member, space).denial == Denial.ARCHIVED
    assert space not in spaces_with_visible_content(member)


def test_visible_spaces_query_matches_the_policy_for_a_non_customer() -> None:
    viewer = MemberFactory()
    open_space = SpaceFactory(access_type=AccessType.OPEN)
    SpaceFactory(access_type=AccessType.PRIVATE)
    joined_application = MembershipFactory(
        member=viewer, space=SpaceFactory(access_type=AccessType.APPLICATION)
    ).space
    SpaceFactory(access_type=AccessType.APPLICATION)
    assert set(spaces_with_visible_content(viewer)) == {open_space, joined_application}
