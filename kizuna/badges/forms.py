from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kizuna.badges.models import Badge, BadgeKind
from kizuna.core.forms import Form
from kizuna.identity.models import Member


class _BadgeChoiceField(forms.ModelChoiceField[Badge]):
    def label_from_instance(self, obj: Badge) -> str:
        return obj.name


class BadgeAwardForm(Form):
    """Award or revoke a staff-awarded badge: the badge, the member's email and the reason."""

    badge = _BadgeChoiceField(label=_("Badge"), queryset=Badge.objects.none())
    email = forms.EmailField(label=_("Member's email address"))
    reason = forms.CharField(
        label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["badge"].queryset = Badge.objects.filter(  # type: ignore[attr-defined]
            kind=BadgeKind.STAFF_AWARDED, is_active=True
        )

    def clean_email(self) -> Member:
        email = self.cleaned_data["email"].lower()
        member = Member.objects.filter(email=email, is_active=True).first()
        if member is None:
            raise forms.ValidationError(_("No active member has this email address."))
        return member
