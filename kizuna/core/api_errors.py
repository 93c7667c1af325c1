"""The one error envelope of the JSON API: ``{"error": {"code", "message", "fields"}}``.

Every error an endpoint can produce goes through these handlers, so a client parses
one shape whatever went wrong. Domain apps raise Django's own exceptions
(ValidationError, PermissionDenied, Http404); this module turns them into JSON.
"""

import logging
from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Router, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

logger = logging.getLogger("kizuna.api")

NON_FIELD_KEY = "__all__"


class ErrorBody(Schema):
    code: str
    message: str
    fields: dict[str, list[str]] = {}


class ErrorOut(Schema):
    """What every failed request returns."""

    error: ErrorBody


class ApiError(Exception):
    """An error an endpoint raises on purpose, with its status and machine-readable code."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        fields: Mapping[str, list[str]] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.fields = dict(fields or {})


def error_response(
    api: NinjaAPI,
    request: HttpRequest,
    *,
    status: int,
    code: str,
    message: str,
    fields: Mapping[str, list[str]] | None = None,
) -> HttpResponse:
    body = {"error": {"code": code, "message": message, "fields": dict(fields or {})}}
    return api.create_response(request, body, status=status)


def _django_validation_fields(exc: DjangoValidationError) -> tuple[str, dict[str, list[str]]]:
    if hasattr(exc, "error_dict"):
        fields = {name: [str(m) for m in messages] for name, messages in exc.message_dict.items()}
        non_field = fields.pop(NON_FIELD_KEY, [])
        message = non_field[0] if non_field else _("Some fields are not valid.")
        if non_field:
            fields[NON_FIELD_KEY] = non_field
        return message, fields
    messages = [str(m) for m in exc.messages]
    return (messages[0] if messages else _("The request is not valid.")), {}


def _ninja_validation_fields(exc: NinjaValidationError) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        location = [str(part) for part in error.get("loc", ())]
        # ("body", "payload", "name") → "name"; ("query", "limit") → "limit"
        if location and location[0] in {"body", "query", "path", "header", "cookie", "form"}:
            location = location[1:]
            if len(location) > 1 and error.get("loc", ("",))[0] == "body":
                location = location[1:]
        name = ".".join(location) or NON_FIELD_KEY
        fields.setdefault(name, []).append(_schema_error_message(error))
    return fields


def _schema_error_message(error: Mapping[str, Any]) -> str:
    """A translated message for the common schema errors; pydantic's own text otherwise."""
    kind = str(error.get("type", ""))
    context = error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind == "string_too_long":
        return _("Use at most %(limit)s characters.") % {"limit": context.get("max_length", "")}
    if kind == "too_long":
        return _("Give at most %(limit)s items.") % {"limit": context.get("max_length", "")}
    if kind == "string_type":
        return _("Enter text.")
    if kind == "list_type":
        return _("Send a list.")
    if kind in {"string_too_short", "too_short"}:
        return _("This is too short.")
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return _("Enter a whole number.")
    if kind in {"greater_than_equal", "less_than_equal", "greater_than", "less_than"}:
        return _("Enter a number in the allowed range.")
    if kind in {"literal_error", "enum"}:
        return _("Choose one of: %(choices)s.") % {"choices": context.get("expected", "")}
    if kind == "string_pattern_mismatch":
        return _("This value has characters that are not allowed here.")
    if kind == "value_error" and "error" in context:
        return str(context["error"])
    return str(error.get("msg") or _("This value is not valid."))


def install_error_handlers(
    api: NinjaAPI,
    *,
    describe_denial: Callable[[PermissionDenied], tuple[str, str]] | None = None,
) -> None:
    """Make every error of `api` answer with the envelope.

    `describe_denial` gives a refusal's code and message; it must say why, never what.
    """

    def on_api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return error_response(
            api, request, status=exc.status, code=exc.code, message=exc.message, fields=exc.fields
        )

    def on_validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        message, fields = _django_validation_fields(exc)
        return error_response(
            api, request, status=422, code="invalid", message=message, fields=fields
        )

    def on_ninja_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        return error_response(
            api,
            request,
            status=422,
            code="invalid",
            message=_("Some fields are not valid."),
            fields=_ninja_validation_fields(exc),
        )

    def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        if describe_denial is not None:
            code, message = describe_denial(exc)
        else:
            code, message = "permission_denied", _("You do not have permission to do this.")
        return error_response(api, request, status=403, code=code, message=message)

    def on_not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        return error_response(
            api, request, status=404, code="not_found", message=_("Nothing was found here.")
        )

    def on_authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = error_response(
            api,
            request,
            status=401,
            code="not_authenticated",
            message=_("Sign in, or send a valid API key as “Authorization: Bearer kz_…”."),
        )
        response["WWW-Authenticate"] = 'Bearer realm="kizuna"'
        return response

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        code, message = {
            400: ("bad_request", _("The request could not be read: send a JSON body.")),
            403: ("permission_denied", _("You do not have permission to do this.")),
            404: ("not_found", _("Nothing was found here.")),
            429: ("throttled", _("Too many requests. Please wait a moment and try again.")),
        }.get(exc.status_code, ("error", str(exc)))
        return error_response(api, request, status=exc.status_code, code=code, message=message)

    def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("Unhandled API error", exc_info=exc)
        return error_response(
            api,
            request,
            status=500,
            code="server_error",
            message=_("Something went wrong on our side. Please try again later."),
        )

    handlers: list[tuple[type[Exception], Callable[[HttpRequest, Any], HttpResponse]]] = [
        (Exception, on_unexpected),
        (HttpError, on_http_error),
        (AuthenticationError, on_authentication_error),
        (Http404, on_not_found),
        (ObjectDoesNotExist, on_not_found),
        (PermissionDenied, on_permission_denied),
        (DjangoValidationError, on_validation_error),
        (NinjaValidationError, on_ninja_validation_error),
        (ApiError, on_api_error),
    ]
    for exception_class, handler in handlers:
        api.add_exception_handler(exception_class, handler)


def not_found_router() -> Router:
    """A router to add last: any other path under the API answers 404 in the envelope."""
    router = Router()

    @router.api_operation(
        ["GET", "POST", "PUT", "PATCH", "DELETE"], "/{path:rest}", include_in_schema=False
    )
    def unknown_path(request: HttpRequest, rest: str) -> HttpResponse:
        raise Http404

    return router


ERROR_RESPONSES: dict[int, type[ErrorOut]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    422: ErrorOut,
}
