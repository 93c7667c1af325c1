from typing import Any

from django.db import models

from kizuna.activity.dispatch import dispatch_on_commit
from kizuna.activity.models import Activity, Verb
from kizuna.customers.selectors import get_account_for_member
from kizuna.identity.models import Member


def record_activity(
    *,
    actor: Member | None,
    verb: Verb,
    target: models.Model | None = None,
    space_id: int | None = None,
    details: dict[str, Any] | None = None,
    dispatch: bool = True,
) -> Activity:
    """Append one action to the stream and queue its verb's consumers on commit; call it inside
    the transaction of the action itself.

    `dispatch=False` records without telling anyone (held content): whoever releases the
    content later calls `dispatch_on_commit` with this activity.
    """
    member = actor if getattr(actor, "is_authenticated", False) else None
    account = get_account_for_member(member) if member is not None else None
    activity = Activity.objects.create(
        actor=member,
        verb=verb,
        object_type=(target._meta.model_name or "") if target is not None else "",
        object_id=target.pk if target is not None else None,
        space_id=space_id,
        account_id=account.pk if account is not None else None,
        details=details or {},
    )
    if dispatch:
        dispatch_on_commit(activity)
    return activity
