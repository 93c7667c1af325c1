"""How long ago, in the largest unit only: 「3日前」 reads better than Django's 「3日, 4時間前」."""

from datetime import datetime, timedelta

from django import template
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def ago(value: datetime) -> str:
    if timezone.now() - value < timedelta(minutes=1):
        return _("just now")
    return _("%(time)s ago") % {"time": timesince(value, depth=1)}


@register.filter
def waited(value: datetime) -> str:
    """The time since `value` in its largest unit, for 「…待ち」."""
    return timesince(value, depth=1)
