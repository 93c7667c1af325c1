from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kizuna.identity.models import TIME_ZONE_CHOICES, Language, Member
from kizuna.identity.photos import MAX_PHOTO_BYTES


class SignupForm(forms.Form):
    """Extra fields on allauth's sign-up form."""

    display_name = forms.CharField(label=_("Display name"), max_length=80)

    def signup(self, request: Any, user: Member) -> None:
        user.display_name = self.cleaned_data["display_name"].strip()
        user.language = getattr(request, "LANGUAGE_CODE", Language.JAPANESE)[:2]
        if user.language not in Language.values:
            user.language = Language.JAPANESE
        user.save(update_fields=["display_name", "language"])


class ProfileForm(forms.Form):
    display_name = forms.CharField(label=_("Display name"), max_length=80)
    photo = forms.FileField(
        label=_("Photo"), required=False, help_text=_("JPEG, PNG, GIF or WebP, 5 MB or smaller.")
    )
    remove_photo = forms.BooleanField(label=_("Remove the current photo"), required=False)
    bio = forms.CharField(
        label=_("Bio"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    company_name = forms.CharField(label=_("Company"), max_length=120, required=False)
    job_role = forms.CharField(label=_("Job role"), max_length=120, required=False)
    interests = forms.CharField(
        label=_("Challenges and interests"),
        max_length=600,
        required=False,
        help_text=_("Separate with commas, e.g. 請求書発行, API連携"),
    )
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=TIME_ZONE_CHOICES)

    def clean_photo(self) -> Any:
        photo = self.cleaned_data.get("photo")
        if photo and photo.size > MAX_PHOTO_BYTES:
            raise forms.ValidationError(_("The photo must be 5 MB or smaller."))
        return photo
