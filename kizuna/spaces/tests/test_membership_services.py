from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kizuna.core.models import AuditEntry
from kizuna.customers.tests.factories import make_customer
from kizuna.identity.tests.factories import MemberFactory, StaffFactory
from kizuna.spaces.models import AccessType, Invitation, JoinRequest, Membership, SpaceRole
from kizuna.spaces.services import (
    InvitationError,
    MembershipError,
    accept_invitation,
    apply_to_space,
    change_member_role,
    create_space,
    decide_join_request,
    invite_to_space,
    join_space,
    leave_space,
    remove_member,
)
from kizuna.spaces.tests.factories import (
    InvitationFactory,
    JoinRequestFactory,
    MembershipFactory,
    SpaceFactory,
)

pytestmark = pytest.mark.django_db(transaction=False)


def test_joining_an_open_space_twice_keeps_one_membership() -> None:
    member, space = MemberFactory(), SpaceFactory(access_type=AccessType.OPEN)
    join_space(member=member, space=space)
    join_space(member=member, space=space)
    assert Membership.objects.filter(space=space, member=member).count() == 1


def test_non_customer_cannot_join_private_space() -> None:
    member, space = MemberFactory(), SpaceFactory(access_type=AccessType.PRIVATE)
    with pytest.raises(PermissionDenied):
        join_space(member=member, space=space)
    assert not Membership.objects.filter(space=space).exists()


def test_only_host_cannot_leave() -> None:
    host = MembershipFactory(role=SpaceRole.HOST)
    with pytest.raises(MembershipError):
        leave_space(member=host.member, space=host.space)
    assert Membership.objects.filter(pk=host.pk).exists()


def test_leaving_a_space_leaves_its_subgroups() -> None:
    member = MemberFactory()
    parent = SpaceFactory()
    subgroup = SpaceFactory(parent=parent)
    MembershipFactory(space=parent, member=member)
    MembershipFactory(space=subgroup, member=member)
    leave_space(member=member, space=parent)
    assert not Membership.objects.filter(member=member).exists()


def test_removing_a_member_from_a_space_removes_them_from_its_subgroups() -> None:
    member = MemberFactory()
    parent = SpaceFactory()
    subgroup = SpaceFactory(parent=parent)
    membership = MembershipFactory(space=parent, member=member)
    MembershipFactory(space=subgroup, member=member)
    other_space_membership = MembershipFactory(member=member)
    remove_member(actor=StaffFactory(), membership=membership, reason="規約違反")
    assert list(Membership.objects.filter(member=member)) == [other_space_membership]
    audit = AuditEntry.objects.get(action="membership.removed")
    assert audit.details["subgroup_ids"] == [subgroup.pk]


def test_application_needs_an_answer_to_every_question() -> None:
    space = SpaceFactory(
        access_type=AccessType.APPLICATION, join_questions=["会社名は？", "参加の目的は？"]
    )
    with pytest.raises(ValidationError) as raised:
        apply_to_space(member=MemberFactory(), space=space, answers=["ミライソフト", "  "])
    assert list(raised.value.message_dict) == ["answer_1"]
    assert not JoinRequest.objects.exists()


def test_applying_twice_returns_the_pending_request() -> None:
    member = MemberFactory()
    space = SpaceFactory(access_type=AccessType.APPLICATION, join_questions=["目的は？"])
    first = apply_to_space(member=member, space=space, answers=["情報交換"])
    second = apply_to_space(member=member, space=space, answers=["別の回答"])
    assert first.pk == second.pk
    assert first.answers == [{"question": "目的は？", "answer": "情報交換"}]


def test_moderator_approval_admits_the_applicant_and_is_audited(
    django_capture_on_commit_callbacks: Any,
) -> None:
    request = JoinRequestFactory()
    moderator = MembershipFactory(space=request.space, role=SpaceRole.MODERATOR).member
    with django_capture_on_commit_callbacks(execute=True):
        decide_join_request(actor=moderator, join_request=request, approve=True)
    assert (
        Membership.objects.get(space=request.space, member=request.applicant).via
        == Membership.Via.APPROVAL
    )
    assert AuditEntry.objects.get().action == "join_request.approved"
    assert mail.outbox[-1].to == [request.applicant.email]


def test_rejection_needs_a_reason_and_tells_the_applicant(
    django_capture_on_commit_callbacks: Any,
) -> None:
    request = JoinRequestFactory()
    moderator = StaffFactory(staff_role="moderator")
    with pytest.raises(ValidationError):
        decide_join_request(actor=moderator, join_request=request, approve=False, reason=" ")
    request.refresh_from_db()
    assert request.status == JoinRequest.Status.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        decide_join_request(
            actor=moderator, join_request=request, approve=False, reason="対象はお客様のみです"
        )
    request.refresh_from_db()
    assert (request.status, request.decision_reason) == (
        JoinRequest.Status.REJECTED,
        "対象はお客様のみです",
    )
    assert "対象はお客様のみです" in mail.outbox[-1].body
    assert not Membership.objects.filter(space=request.space, member=request.applicant).exists()


def test_plain_member_cannot_decide_applications() -> None:
    request = JoinRequestFactory()
    member = MembershipFactory(space=request.space).member
    with pytest.raises(PermissionDenied):
        decide_join_request(actor=member, join_request=request, approve=True)
    request.refresh_from_db()
    assert request.status == JoinRequest.Status.PENDING


def test_invitation_is_a_referral_and_sends_an_email(
    django_capture_on_commit_callbacks: Any,
) -> None:
    space = SpaceFactory(access_type=AccessType.OPEN)
    inviter = MembershipFactory(space=space).member
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite_to_space(actor=inviter, space=space, email="New@Example.org")
    assert (invitation.email, invitation.invited_by) == ("new@example.org", inviter)
    assert mail.outbox[-1].to == ["new@example.org"]


def test_reinviting_refreshes_the_open_invitation() -> None:
    space = SpaceFactory()
    inviter = MembershipFactory(space=space).member
    first = invite_to_space(actor=inviter, space=space, email="a@example.org")
    second = invite_to_space(actor=inviter, space=space, email="a@example.org")
    assert first.pk == second.pk
    assert Invitation.objects.count() == 1


def test_accepting_an_invitation_admits_and_records_the_referral() -> None:
    invitee = MemberFactory(email="invitee@example.org")
    invitation = InvitationFactory(email="invitee@example.org")
    membership = accept_invitation(member=invitee, token=invitation.token)
    invitation.refresh_from_db()
    assert membership.space == invitation.space
    assert invitation.accepted_by == invitee


def test_reused_invitation_is_refused_for_someone_else() -> None:
    invitation = InvitationFactory(email="first@example.org")
    accept_invitation(member=MemberFactory(email="first@example.org"), token=invitation.token)
    with pytest.raises(InvitationError):
        accept_invitation(member=MemberFactory(email="second@example.org"), token=invitation.token)


def test_expired_invitation_is_refused_and_nothing_is_written() -> None:
    invitation = InvitationFactory(
        email="late@example.org", expires_at=timezone.now() - timedelta(minutes=1)
    )
    late = MemberFactory(email="late@example.org")
    with pytest.raises(InvitationError):
        accept_invitation(member=late, token=invitation.token)
    assert not Membership.objects.filter(member=late).exists()


def test_invitation_for_another_address_is_refused() -> None:
    invitation = InvitationFactory(email="someone@example.org")
    with pytest.raises(InvitationError):
        accept_invitation(member=MemberFactory(email="other@example.org"), token=invitation.token)


def test_staff_invitation_admits_a_non_customer_to_a_private_space() -> None:
    space = SpaceFactory(access_type=AccessType.PRIVATE)
    invitation = InvitationFactory(
        space=space,
        email="partner@example.org",
        invited_by=StaffFactory(staff_role="community_manager"),
    )
    membership = accept_invitation(
        member=MemberFactory(email="partner@example.org"), token=invitation.token
    )
    assert membership.via == Membership.Via.STAFF_INVITATION


def test_member_invitation_does_not_admit_a_non_customer_to_a_private_space() -> None:
    space = SpaceFactory(access_type=AccessType.PRIVATE)
    inviter = make_customer()
    MembershipFactory(space=space, member=inviter)
    invitation = InvitationFactory(space=space, email="friend@example.org", invited_by=inviter)
    with pytest.raises(InvitationError):
        accept_invitation(member=MemberFactory(email="friend@example.org"), token=invitation.token)


def test_last_host_cannot_be_demoted() -> None:
    host = MembershipFactory(role=SpaceRole.HOST)
    with pytest.raises(MembershipError):
        change_member_role(actor=StaffFactory(), membership=host, role=SpaceRole.MEMBER)
    host.refresh_from_db()
    assert host.role == SpaceRole.HOST


def test_role_change_is_audited_with_before_and_after() -> None:
    membership = MembershipFactory()
    change_member_role(
        actor=StaffFactory(), membership=membership, role=SpaceRole.MODERATOR, reason="回答が丁寧"
    )
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.reason, entry.details["from"], entry.details["to"]) == (
        "membership.role_changed",
        "回答が丁寧",
        "member",
        "moderator",
    )


def test_removing_a_member_needs_a_reason() -> None:
    membership = MembershipFactory()
    with pytest.raises(ValidationError):
        remove_member(actor=StaffFactory(), membership=membership, reason="")
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_space_needs_purpose_and_rules() -> None:
    with pytest.raises(ValidationError) as raised:
        create_space(
            actor=StaffFactory(),
            name="新スペース",
            purpose="",
            rules="",
            access_type=AccessType.OPEN,
        )
    assert set(raised.value.message_dict) == {"purpose", "rules"}


def test_csm_cannot_create_spaces() -> None:
    with pytest.raises(PermissionDenied):
        create_space(
            actor=StaffFactory(staff_role="csm"),
            name="x",
            purpose="p",
            rules="r",
            access_type=AccessType.OPEN,
        )


def test_creator_becomes_host_of_new_space() -> None:
    manager = StaffFactory(staff_role="community_manager")
    space = create_space(
        actor=manager,
        name="関西ユーザー会",
        slug="kansai",
        purpose="関西の交流",
        rules="宣伝禁止",
        access_type=AccessType.OPEN,
    )
    assert space.memberships.get().role == SpaceRole.HOST
    assert AuditEntry.objects.get().action == "space.created"


def test_subgroups_cannot_nest() -> None:
    manager = StaffFactory()
    subgroup = SpaceFactory(parent=SpaceFactory())
    with pytest.raises(ValidationError) as raised:
        create_space(
            actor=manager,
            name="孫",
            purpose="p",
            rules="r",
            access_type=AccessType.OPEN,
            parent=subgroup,
        )
    assert "parent" in raised.value.message_dict
