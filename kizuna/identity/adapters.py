from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from django.db import transaction
from django.http import HttpRequest

from kizuna.identity.tasks import send_welcome_email


class MemberAccountAdapter(DefaultAccountAdapter):
    def confirm_email(self, request: HttpRequest, email_address: EmailAddress) -> bool:
        """A verified address earns the member a welcome email.

        Linking the member to a customer account by the address's domain is customers' own
        receiver of allauth's email_confirmed signal, which this call sends.
        """
        confirmed: bool = super().confirm_email(request, email_address)
        member = email_address.user
        transaction.on_commit(lambda: send_welcome_email.delay(member.pk))
        return confirmed
