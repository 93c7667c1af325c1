from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from kizuna.identity.models import Member
from kizuna.spaces.models import Invitation, JoinRequest


def site_url(path: str) -> str:
    return settings.KIZUNA_SITE_URL.rstrip("/") + path


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_invitation_email(invitation_id: int) -> None:
    """Email an invitation link; only the space's public name and purpose travel in it."""
    invitation = (
        Invitation.objects.select_related("space", "invited_by").filter(pk=invitation_id).first()
    )
    if invitation is None or invitation.status != "pending":
        return
    existing = Member.objects.filter(email__iexact=invitation.email).first()
    language = existing.language if existing else settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            "invitation": invitation,
            "space": invitation.space,
            "community": settings.KIZUNA_COMMUNITY,
            "accept_url": site_url(reverse("spaces:invitation-accept", args=[invitation.token])),
        }
        subject = render_to_string("spaces/email/invitation_subject.txt", context).strip()
        body = render_to_string("spaces/email/invitation_message.txt", context)
    send_mail(subject, body, None, [invitation.email])


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_join_request_decision(join_request_id: int) -> None:
    join_request = (
        JoinRequest.objects.select_related("space", "applicant").filter(pk=join_request_id).first()
    )
    if join_request is None or join_request.status not in (
        JoinRequest.Status.APPROVED,
        JoinRequest.Status.REJECTED,
    ):
        return
    applicant = join_request.applicant
    with translation.override(applicant.language):
        context = {
            "join_request": join_request,
            "space": join_request.space,
            "member": applicant,
            "space_url": site_url(reverse("spaces:space-detail", args=[join_request.space.slug])),
        }
        subject = render_to_string("spaces/email/decision_subject.txt", context).strip()
        body = render_to_string("spaces/email/decision_message.txt", context)
    send_mail(subject, body, None, [applicant.email])


@shared_task(acks_late=True, reject_on_worker_lost=True)
def notify_moderators_of_join_request(join_request_id: int, moderator_ids: list[int]) -> None:
    join_request = (
        JoinRequest.objects.select_related("space", "applicant").filter(pk=join_request_id).first()
    )
    if join_request is None or join_request.status != JoinRequest.Status.PENDING:
        return
    for moderator in Member.objects.filter(pk__in=moderator_ids, is_active=True):
        with translation.override(moderator.language):
            context = {
                "join_request": join_request,
                "space": join_request.space,
                "review_url": site_url(
                    reverse("spaces:space-requests", args=[join_request.space.slug])
                ),
            }
            subject = render_to_string("spaces/email/request_subject.txt", context).strip()
            body = render_to_string("spaces/email/request_message.txt", context)
        send_mail(subject, body, None, [moderator.email])
