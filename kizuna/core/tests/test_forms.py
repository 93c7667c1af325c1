"""add_service_errors: a service's refusal lands next to the field it names, or above the form."""

from django import forms
from django.core.exceptions import ValidationError

from kizuna.core.forms import Form, add_service_errors


class TitleForm(Form):
    title = forms.CharField()
    email = forms.CharField()


def _bound_form() -> TitleForm:
    form = TitleForm({"title": "題名", "email": "a@example.com"})
    assert form.is_valid()
    return form


def test_an_error_on_a_field_is_shown_next_to_it_with_its_code() -> None:
    form = _bound_form()

    add_service_errors(
        form, ValidationError({"title": [ValidationError("Too long.", code="max_length")]})
    )

    assert form.errors == {"title": ["Too long."]}
    assert form.has_error("title", code="max_length")
    assert "title" not in form.cleaned_data


def test_an_error_on_a_field_the_form_lacks_goes_above_the_form() -> None:
    form = _bound_form()

    add_service_errors(form, ValidationError({"space": "This space is archived."}))

    assert form.errors == {"__all__": ["This space is archived."]}


def test_an_error_without_a_field_goes_above_the_form() -> None:
    form = _bound_form()

    add_service_errors(form, ValidationError(["First.", "Second."]))

    assert form.non_field_errors() == ["First.", "Second."]
    assert list(form.errors) == ["__all__"]


def test_an_alias_puts_the_services_field_on_the_forms_field() -> None:
    form = _bound_form()

    add_service_errors(
        form,
        ValidationError({"member": "No member has this address."}),
        aliases={"member": "email"},
    )

    assert form.errors == {"email": ["No member has this address."]}
