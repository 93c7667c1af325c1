"""Writes of the Customer 360's settings: which content tags mean a capability of which plan."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kizuna.content.models import Tag
from kizuna.core.audit import record_audit
from kizuna.customers.models import Plan
from kizuna.identity.models import Member
from kizuna.identity.permissions import check_capability
from kizuna.identity.roles import Capability
from kizuna.success.models import PlanCapabilityTag
from kizuna.success.selectors import find_tag


def add_capability_tag(*, actor: Member, plan: Plan, tag_name: str) -> tuple[Tag, bool]:
    """Map a tag to a plan; (tag, False) when it was mapped already, so a re-post changes nothing.

    ValidationError (on "tag") when no content tag has that name.
    """
    check_capability(actor, Capability.CONFIGURE_CUSTOMER_SUCCESS)
    if "\x00" in tag_name:
        raise ValidationError({"tag": _("Text cannot contain the NUL character.")})
    tag = find_tag(tag_name)
    if tag is None:
        raise ValidationError(
            {
                "tag": _(
                    "No tag is called “%(name)s”. Choose one of the tags members use on posts."
                )
                % {"name": tag_name.strip()[:50]}
            }
        )
    try:
        with transaction.atomic():
            _mapping, created = PlanCapabilityTag.objects.get_or_create(
                plan=plan, tag=tag, defaults={"added_by": actor}
            )
            if created:
                record_audit(
                    actor=actor,
                    action="success.capability_tag_added",
                    target=plan,
                    details={"tag": tag.name},
                )
    except IntegrityError:  # the same form sent twice at once: the other request mapped it
        created = False
    return tag, created


def remove_capability_tag(*, actor: Member, plan: Plan, tag_id: int) -> Tag | None:
    """Take a tag off a plan; None when it was not mapped (already removed)."""
    check_capability(actor, Capability.CONFIGURE_CUSTOMER_SUCCESS)
    with transaction.atomic():
        mapping = (
            PlanCapabilityTag.objects.select_for_update()
            .select_related("tag")
            .filter(plan=plan, tag_id=tag_id)
            .first()
        )
        if mapping is None:
            return None
        tag = mapping.tag
        mapping.delete()
        record_audit(
            actor=actor,
            action="success.capability_tag_removed",
            target=plan,
            details={"tag": tag.name},
        )
    return tag
