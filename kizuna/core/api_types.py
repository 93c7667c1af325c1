"""Field types shared by the API's input schemas."""

from typing import Annotated

from django.utils.translation import gettext as _
from pydantic import AfterValidator, Field, StringConstraints


def _reject_nul(value: str) -> str:
    # PostgreSQL cannot store NUL in text or JSON; reject it here rather than fail on write.
    if "\x00" in value:
        raise ValueError(_("Text cannot contain the NUL character."))
    return value


NoNul = AfterValidator(_reject_nul)

# Ids are PostgreSQL integers; a larger one in a path must be a 422, not a database error.
ID_MAX = 2_147_483_647
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"

Slug = Annotated[str, StringConstraints(max_length=80), NoNul]
ShortText = Annotated[str, StringConstraints(max_length=255), NoNul]
LongText = Annotated[str, StringConstraints(max_length=5000), NoNul]
ObjectId = Annotated[int, Field(ge=1, le=ID_MAX)]
