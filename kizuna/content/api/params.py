"""What the posts API's operations take: the API-key scope they need and their path parameters."""

from typing import Any

from ninja.params.functions import Path as PathParam

from kizuna.core.api_types import ID_MAX, SLUG_PATTERN
from kizuna.identity.api_auth import api_auth
from kizuna.identity.models import ApiKey

READ = api_auth(ApiKey.Scope.CONTENT_READ)
WRITE = api_auth(ApiKey.Scope.CONTENT_WRITE)


def id_param(description: str) -> Any:
    return PathParam(..., ge=1, le=ID_MAX, description=description)


def slug_param() -> Any:
    return PathParam(..., max_length=80, pattern=SLUG_PATTERN, description="The space's slug.")


def tag_slug_param() -> Any:
    return PathParam(..., max_length=60, description="The tag's slug.")
