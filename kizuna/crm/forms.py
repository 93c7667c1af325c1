from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kizuna.core.forms import Form
from kizuna.crm.mapping import target_choices
from kizuna.crm.models import ImportJob
from kizuna.crm.reading import MAX_FILE_BYTES
from kizuna.customers.models import CustomField


class UploadForm(Form):
    kind = forms.ChoiceField(
        label=_("The file holds"),
        choices=ImportJob.Kind.choices,
        initial=ImportJob.Kind.ACCOUNTS,
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "An export of accounts or contacts from Salesforce, HubSpot or Excel: CSV in "
            "UTF-8 or Shift_JIS, up to 20 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.tsv,.txt,text/csv"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _(
                    "The file is larger than 20 MB. Split it into smaller files and import "
                    "them one after the other."
                )
            )
        return upload


class MappingForm(Form):
    """One select per column of the file: the field it fills, or Ignore."""

    def __init__(
        self,
        *args: Any,
        job: ImportJob,
        custom_fields: dict[str, CustomField],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.job = job
        choices = target_choices(job.kind, custom_fields)
        mapping = list(job.mapping)
        for index, header in enumerate(job.headers):
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=header,
                choices=choices,
                required=False,
                initial=mapping[index] if index < len(mapping) else "",
            )

    def mapping(self) -> list[str]:
        return [
            self.cleaned_data.get(f"column_{index}") or "" for index in range(len(self.job.headers))
        ]

    def columns(self) -> list[tuple[forms.BoundField, list[str]]]:
        """Each column's select with the first rows' values under that header."""
        samples = self.job.samples or []
        return [
            (self[f"column_{index}"], [row[index] for row in samples if index < len(row)])
            for index in range(len(self.job.headers))
        ]
