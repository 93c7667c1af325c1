"""The segment editor: the segment's own fields, and its conditions as rows of inputs.

A row is `c-<n>-field`, `c-<n>-op` and the value inputs its operator wants (`c-<n>-value`,
the checked `c-<n>-values`, or `c-<n>-count` and `c-<n>-days`). Without JavaScript the page is
a plain form: "Add a condition", "Remove" and "Update" post it back and it comes back with the
rows changed and the count; with HTMX the same posts swap the editor in place.
"""

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from kizuna.core.forms import Form
from kizuna.segments.definitions import (
    MAX_CONDITIONS,
    Catalogue,
    Condition,
    FieldSpec,
    Kind,
    form_values,
)
from kizuna.segments.models import Match, Segment, Target


class SegmentForm(Form):
    # Lengths and required fields are checked by the service, which says so in its own words.
    name = forms.CharField(
        label=_("Name"), required=False, widget=forms.TextInput(attrs={"maxlength": 120})
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 1000}),
        help_text=_("What the segment is for, so colleagues know when to use it."),
    )
    target = forms.ChoiceField(
        label=_("Segment of"), choices=Target.choices, widget=forms.RadioSelect, required=False
    )
    match = forms.ChoiceField(
        label=_("Match"), choices=Match.choices, widget=forms.RadioSelect, required=False
    )


class InviteForm(Form):
    event = forms.TypedChoiceField(label=_("Event"), coerce=int)

    def __init__(self, *args: Any, events: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["event"].choices = [("", _("Choose an upcoming event")), *events]  # type: ignore[attr-defined]


@dataclass
class ConditionRow:
    key: str = ""
    op: str = ""
    value: str = ""
    values: list[str] = field(default_factory=list)
    count: str = ""
    days: str = ""
    errors: list[str] = field(default_factory=list)
    spec: FieldSpec | None = None

    @property
    def kind(self) -> str:
        if self.spec is None or self.op not in self.spec.operators:
            return ""
        return str(self.spec.kind(self.op))

    def raw(self) -> dict[str, Any]:
        """The condition as the services take it."""
        value: Any = self.value
        if self.kind == Kind.CHOICES:
            value = self.values
        elif self.kind == Kind.COUNT_IN_DAYS:
            value = {"count": self.count, "days": self.days}
        elif self.kind == Kind.NONE:
            value = None
        return {"field": self.key, "op": self.op, "value": value}


class SegmentEditor:
    """The editor's state from a post (or a saved segment), and its rows ready to draw."""

    def __init__(
        self,
        catalogue: Catalogue,
        *,
        data: QueryDict | None = None,
        segment: Segment | None = None,
    ) -> None:
        self.catalogue = catalogue
        self.rows: list[ConditionRow] = []
        self.errors: list[str] = []
        self.target: str = Target.MEMBERS
        self.match: str = Match.ALL
        if data is not None:
            given_target, given_match = data.get("target", ""), data.get("match", "")
            self.target = given_target if given_target in Target.values else Target.MEMBERS
            self.match = given_match if given_match in Match.values else Match.ALL
            self.rows = self._rows_from(data)
        elif segment is not None:
            self.target, self.match = segment.target, segment.match
            for item in segment.conditions:
                condition = Condition(item["field"], item["op"], item.get("value"))
                spec = catalogue.spec(condition.field)
                shown = form_values(condition, spec)
                self.rows.append(ConditionRow(key=condition.field, op=condition.op, **shown))
        else:
            self.rows = [ConditionRow()]
        self._attach_specs()

    @staticmethod
    def _rows_from(data: QueryDict) -> list[ConditionRow]:
        rows = []
        for n in range(MAX_CONDITIONS * 2):
            prefix = f"c-{n}-"
            if prefix + "field" not in data:
                continue
            rows.append(
                ConditionRow(
                    key=data.get(prefix + "field", "").strip(),
                    op=data.get(prefix + "op", "").strip(),
                    value=data.get(prefix + "value", "").strip(),
                    values=[value for value in data.getlist(prefix + "values") if value],
                    count=data.get(prefix + "count", "").strip(),
                    days=data.get(prefix + "days", "").strip(),
                )
            )
        removed = data.get("_remove", "")
        if removed.isdigit() and int(removed) < len(rows):
            del rows[int(removed)]
        if "_add" in data and len(rows) < MAX_CONDITIONS:
            rows.append(ConditionRow())
        return rows

    def _attach_specs(self) -> None:
        for row in self.rows:
            row.spec = self.catalogue.spec(row.key) if row.key else None
            if row.spec is not None and row.op not in row.spec.operators:
                # A new field, or an operator another field had: start from its first one.
                row.op = next(iter(row.spec.operators))

    @property
    def can_add(self) -> bool:
        return len(self.rows) < MAX_CONDITIONS

    def raw_conditions(self) -> list[dict[str, Any]]:
        """The rows with a field chosen (an empty row is ignored, not an error)."""
        return [row.raw() for row in self.rows if row.key]

    def show_errors(self, errors: dict[int, list[str]]) -> None:
        """Errors by condition position (as `check_conditions` gives them) onto their rows."""
        filled = [row for row in self.rows if row.key]
        for index, messages in errors.items():
            if 0 <= index < len(filled):
                filled[index].errors = messages
            else:
                self.errors += messages

    def field_groups(self) -> list[tuple[str, list[FieldSpec]]]:
        return self.catalogue.grouped_fields(self.target)

    def choices(self, row: ConditionRow) -> list[tuple[str, str]]:
        return self.catalogue.choices(row.spec) if row.spec is not None else []

    def drawn_rows(self) -> list[dict[str, Any]]:
        """What the template draws for each row: the row, its operators and choices, and
        whether its field is missing from the select (a member field in an accounts segment)."""
        offered = {spec.key for _label, specs in self.field_groups() for spec in specs}
        return [
            {
                "index": index,
                "number": index + 1,
                "row": row,
                "operators": row.spec.operator_choices() if row.spec is not None else [],
                "choices": self.choices(row),
                "unoffered": bool(row.key) and row.key not in offered,
            }
            for index, row in enumerate(self.rows)
        ]
