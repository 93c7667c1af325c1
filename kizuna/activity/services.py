from typing import Any

from django.db import models, transaction
from django.utils.module_loading import import_string

from kizuna.activity.models import Activity, Verb
from kizuna.customers.selectors import get_account_for_member

AWARD_TASK = "kizuna.gamification.tasks.award_for_activity"


def record_activity(
    *,
    actor: Any,
    verb: Verb,
    target: models.Model | None = None,
    space_id: int | None = None,
    details: dict[str, Any] | None = None,
) -> Activity:
    """Append one action to the stream; call it inside the transaction of the action itself."""
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
    if member is not None:
        # Points are earned from the stream. Looked up by name so the stream, which every app
        # writes to, imports none of its readers; the periodic sweep catches what this misses.
        award = import_string(AWARD_TASK)
        transaction.on_commit(lambda: award.delay(activity.pk))
    return activity
