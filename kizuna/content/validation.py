"""What members may write: the length limits and the checks of titles, bodies and tag names.

The services run these before any work, the forms and the API schemas read the same limits,
so a client is never refused inside the range the OpenAPI document advertises.
"""

import re
import unicodedata
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _

TITLE_MAX_LENGTH = 200
BODY_MAX_LENGTH = 50000
COMMENT_MAX_LENGTH = 5000
MAX_TAGS = 5
TAG_MAX_LENGTH = 50
TAG_SLUG_MAX_LENGTH = 60


class ContentError(ValidationError):
    """Input the rules refuse, with a message the member can act on."""


def field_error(field: str, message: str, code: str) -> ContentError:
    """A refusal of one form field, shown next to it."""
    return ContentError({field: [ValidationError(message, code=code)]})


def clean_title(title: str) -> str:
    """The title with its runs of white space made one space; refused when empty or too long."""
    title = " ".join(title.split())
    if not title:
        raise field_error("title", _("Give your post a title."), "required")
    if len(title) > TITLE_MAX_LENGTH:
        raise field_error(
            "title",
            _("The title is too long (at most %(limit)d characters).")
            % {"limit": TITLE_MAX_LENGTH},
            "max_length",
        )
    return title


def clean_body(body: str, *, field: str = "body", limit: int = BODY_MAX_LENGTH) -> str:
    """The text with Unix line ends and no outer white space; refused when empty or too long."""
    body = body.replace("\r\n", "\n").strip()
    if not body:
        raise field_error(field, _("Write something first."), "required")
    if len(body) > limit:
        raise field_error(
            field,
            _("The text is too long (at most %(limit)d characters).") % {"limit": limit},
            "max_length",
        )
    return body


def tag_slug(name: str) -> str:
    """A tag's address and identity: NFKC, lower case, letters, digits and hyphens ("" for "!!!")."""
    return slugify(name, allow_unicode=True)[:TAG_SLUG_MAX_LENGTH].strip("-")


def parse_tag_names(raw: str | Sequence[str]) -> list[str]:
    """Tag names from a comma or space separated field (、 and full-width ones count too), one per tag.

    Names are stored half-width (NFKC), so "ＡＰＩ" and "API" are the same name; names that
    lead to the same tag ("Python", "python") count once.
    """
    text = unicodedata.normalize("NFKC", raw if isinstance(raw, str) else ",".join(raw))
    names: list[str] = []
    seen: set[str] = set()
    for name in (part.lstrip("#") for part in re.split(r"[,、\s]+", text)):
        # A name without a slug keeps its own key so that clean_tags can name it.
        key = tag_slug(name) or name.casefold()
        if name and key not in seen:
            seen.add(key)
            names.append(name)
    return names


def clean_tags(raw: str | Sequence[str]) -> list[str]:
    """The tag names of a post, refused when too many, too long or without a letter or digit."""
    names = parse_tag_names(raw)
    if len(names) > MAX_TAGS:
        raise field_error(
            "tags", _("Use at most %(limit)d tags.") % {"limit": MAX_TAGS}, "max_tags"
        )
    if any(len(name) > TAG_MAX_LENGTH for name in names):
        raise field_error(
            "tags",
            _("A tag may have at most %(limit)d characters.") % {"limit": TAG_MAX_LENGTH},
            "tag_length",
        )
    # A tag is reached at /…?tag=<slug>; punctuation or emoji alone give no slug to reach it by.
    for name in names:
        if not tag_slug(name):
            raise field_error(
                "tags",
                _("“%(tag)s” cannot be a tag: a tag needs at least one letter or digit.")
                % {"tag": name},
                "tag_invalid",
            )
    return names
