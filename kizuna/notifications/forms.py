from typing import Any

from django import forms

from kizuna.core.forms import Form
from kizuna.notifications.models import EmailChannel, NotificationKind


class EmailPreferencesForm(Form):
    """One email channel per kind of notification; in-app notifications are always on."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind in NotificationKind:
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label, choices=EmailChannel.choices, widget=forms.RadioSelect
            )

    def channels(self) -> dict[str, str]:
        return {kind: str(self.cleaned_data[kind]) for kind in NotificationKind.values}
