from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from kizuna.identity.models import Member


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_welcome_email(member_id: int) -> None:
    """Greet a member whose email address was just verified."""
    member = Member.objects.filter(pk=member_id, is_active=True).first()
    if member is None:
        return
    with translation.override(member.language):
        context = {"member": member, "community": settings.KIZUNA_COMMUNITY}
        subject = render_to_string("identity/email/welcome_subject.txt", context).strip()
        body = render_to_string("identity/email/welcome_message.txt", context)
    send_mail(subject, body, None, [member.email])
