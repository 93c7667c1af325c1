from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError


class Form(forms.Form):
    """Our base form: labels stand on their own line, so no colon after them.

    Django adds ":" after every label; after a Japanese label (表示名:) it reads as a typo.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


def add_service_errors(
    form: forms.BaseForm, error: ValidationError, *, aliases: Mapping[str, str] | None = None
) -> None:
    """Show a service's ValidationError next to the field it names, or above the form.

    `aliases` maps a service's field name to the form's where they differ; an error on a field
    the form does not have goes above the form, so no message is lost.
    """
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, field_errors in error.error_dict.items():
        target = (aliases or {}).get(field, field)
        form.add_error(target if target in form.fields else None, field_errors)
