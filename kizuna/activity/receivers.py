from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from kizuna.activity.models import Verb
from kizuna.activity.services import record_activity
from kizuna.identity.models import Member


@receiver(user_logged_in, dispatch_uid="kizuna.activity.record_login")
def record_login(
    sender: type[Member], request: HttpRequest | None, user: Member, **kwargs: Any
) -> None:
    """Sign-ins belong in the activity stream; Django announces them only through this signal."""
    record_activity(actor=user, verb=Verb.LOGGED_IN)
