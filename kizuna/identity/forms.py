import datetime
from typing import Any, cast

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kizuna.core.audit_labels import action_label, target_type_label
from kizuna.core.forms import Form
from kizuna.core.japanese import is_reading, to_hiragana
from kizuna.identity.models import TIME_ZONE_CHOICES, ApiKey, Language, Member
from kizuna.identity.photos import MAX_PHOTO_BYTES
from kizuna.identity.roles import StaffRole
from kizuna.identity.selectors import ANY_STAFF, NOT_STAFF, CustomerFilter
from kizuna.identity.services import normalise_interest_names

ACCEPTED_PHOTO_TYPES = "image/jpeg,image/png,image/gif,image/webp"


class SignupForm(AllauthSignupForm):
    """allauth's sign-up form (email, password) plus the name other members see.

    ACCOUNT_FORMS replaces allauth's form class, so this must extend it rather than add to it.
    """

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=80,
        help_text=_("The name other members see. You can change it later."),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )

    def clean_display_name(self) -> str:
        name = " ".join(self.cleaned_data["display_name"].split())
        if not name:
            raise ValidationError(_("Enter the name other members will see."))
        return name

    def signup(self, request: Any, user: Member) -> None:
        user.display_name = self.cleaned_data["display_name"].strip()
        user.language = getattr(request, "LANGUAGE_CODE", Language.JAPANESE)[:2]
        if user.language not in Language.values:
            user.language = Language.JAPANESE
        user.save(update_fields=["display_name", "language"])


class ProfileForm(Form):
    display_name = forms.CharField(label=_("Display name"), max_length=80)
    name_reading = forms.CharField(
        label=_("Reading of your name (furigana)"),
        max_length=120,
        required=False,
        help_text=_("In kana, e.g. やまだ はなこ. The member directory is sorted by it."),
    )
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        help_text=_("JPEG, PNG, GIF or WebP, 5 MB or smaller."),
        widget=forms.FileInput(attrs={"accept": ACCEPTED_PHOTO_TYPES}),
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
    listed_in_directory = forms.BooleanField(
        label=_("List me in the member directory"),
        required=False,
        help_text=_(
            "Other members can find you by name, company, challenges and level. If you turn "
            "this off, your profile can still be opened from your posts and answers."
        ),
    )
    shows_company = forms.BooleanField(
        label=_("Show my company to other members"),
        required=False,
        help_text=_(
            "If you turn this off, only you and the community team see your company, and "
            "nobody can find you by it in the directory."
        ),
    )

    PRIVACY_FIELDS = ("listed_in_directory", "shows_company")

    def clean_display_name(self) -> str:
        name = " ".join(self.cleaned_data["display_name"].split())
        if not name:
            raise ValidationError(_("Enter the name other members will see."))
        return name

    def clean_name_reading(self) -> str:
        reading = self.cleaned_data.get("name_reading", "")
        if reading and not is_reading(reading):
            raise ValidationError(_("Write the reading in hiragana or katakana only."))
        return to_hiragana(reading)

    def clean_photo(self) -> Any:
        photo = self.cleaned_data.get("photo")
        if photo and photo.size > MAX_PHOTO_BYTES:
            raise ValidationError(_("The photo must be 5 MB or smaller."))
        return photo

    def clean_interests(self) -> list[str]:
        return normalise_interest_names(self.cleaned_data.get("interests", ""))

    @classmethod
    def initial_for(cls, member: Member) -> dict[str, Any]:
        return {
            "display_name": member.display_name,
            "name_reading": member.name_reading,
            "bio": member.bio,
            "company_name": member.company_name,
            "job_role": member.job_role,
            "interests": ", ".join(interest.name for interest in member.interests.all()),
            "language": member.language,
            "time_zone": member.time_zone,
            "listed_in_directory": member.listed_in_directory,
            "shows_company": member.shows_company,
        }


class MemberFilterForm(Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    staff_role = forms.ChoiceField(
        label=_("Staff role"),
        required=False,
        choices=[
            ("", _("Everyone")),
            (ANY_STAFF, _("Any staff role")),
            (NOT_STAFF, _("Not staff")),
            *StaffRole.choices,
        ],
    )
    customer_status = forms.ChoiceField(
        label=_("Customer status"),
        required=False,
        choices=[
            ("", _("Everyone")),
            (CustomerFilter.CUSTOMER, _("Customer (active account)")),
            (CustomerFilter.CHURNED, _("Linked to a churned account")),
            (CustomerFilter.NOT_CUSTOMER, _("Not linked to an account")),
        ],
    )


class StaffRoleForm(Form):
    role = forms.ChoiceField(
        label=_("Staff role"),
        required=False,
        choices=[("", _("No staff role")), *StaffRole.choices],
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Recorded in the audit log."),
        error_messages={"required": _("Say why the role changes; it is kept in the audit log.")},
    )


class EconomicsGrantForm(Form):
    """Grant or withdraw VIEW_ACCOUNT_ECONOMICS for one staff member (on the role page)."""

    GRANT = "grant"
    WITHDRAW = "withdraw"

    grant_action = forms.ChoiceField(
        choices=[(GRANT, _("Grant")), (WITHDRAW, _("Withdraw"))], widget=forms.HiddenInput
    )
    grant_reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Recorded in the audit log, e.g. “prepares the quarterly revenue report”."),
        error_messages={"required": _("Say why; it is kept in the audit log.")},
    )


class ApiKeyForm(Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the key is for, e.g. “Salesforce sync”."),
        error_messages={"required": _("Give the key a name so you can recognise it later.")},
    )
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"),
        choices=ApiKey.Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one scope from the list.")},
    )


class ReasonForm(Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional. Recorded in the audit log."),
    )


class AuditFilterForm(Form):
    action = forms.ChoiceField(label=_("Action"), required=False)
    actor = forms.CharField(label=_("Actor"), required=False, max_length=200)
    target_type = forms.ChoiceField(label=_("Target type"), required=False)
    since = forms.DateField(
        label=pgettext_lazy("date range", "From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = forms.DateField(
        label=pgettext_lazy("date range", "To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, actions: list[str], target_types: list[str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        everything = ("", _("All"))
        action_field = cast(forms.ChoiceField, self.fields["action"])
        action_field.choices = [everything, *((a, action_label(a)) for a in actions)]
        target_field = cast(forms.ChoiceField, self.fields["target_type"])
        target_field.choices = [everything, *((t, target_type_label(t)) for t in target_types)]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date must be on or after the start date."))
        return cleaned

    def time_range(self) -> tuple[datetime.datetime | None, datetime.datetime | None]:
        """The chosen days as a [start, end) range in the viewer's time zone."""
        since, until = self.cleaned_data.get("since"), self.cleaned_data.get("until")
        zone = timezone.get_current_timezone()
        start = datetime.datetime.combine(since, datetime.time.min, tzinfo=zone) if since else None
        end = (
            datetime.datetime.combine(
                until + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
            )
            if until
            else None
        )
        return start, end
