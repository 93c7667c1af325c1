from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.db import transaction
from django.http import HttpRequest

from kizuna.customers.services import link_member_by_verified_email
from kizuna.identity.tasks import send_welcome_email


class MemberAccountAdapter(DefaultAccountAdapter):
    def confirm_email(self, request: HttpRequest, email_address: Any) -> bool:
        """A verified address can make the member a customer, and earns them a welcome email."""
        confirmed: bool = super().confirm_email(request, email_address)
        member = email_address.user
        link_member_by_verified_email(member=member, email=email_address.email)
        transaction.on_commit(lambda: send_welcome_email.delay(member.pk))
        return confirmed
