from django import forms
from django.utils.translation import gettext_lazy as _

from kizuna.core.forms import Form


class CapabilityTagForm(Form):
    plan = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2_147_483_647)
    tag = forms.CharField(
        label=_("Tag"),
        max_length=60,
        help_text=_("A tag members put on posts, e.g. SSO or API."),
    )


class RemoveCapabilityTagForm(Form):
    plan = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2_147_483_647)
    tag_id = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2_147_483_647)
