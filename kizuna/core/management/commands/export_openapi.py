"""Write the API's OpenAPI document to a file, byte-for-byte stable between runs."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.urls import get_resolver


def render_openapi_document() -> str:
    """The OpenAPI document of the project's NinjaAPI, as sorted, indented JSON."""
    # core imports no domain app or project module, so find the API through the URLconf.
    api = _find_ninja_api()
    schema = api.get_openapi_schema()
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _find_ninja_api() -> Any:
    from ninja import NinjaAPI

    for pattern in get_resolver().url_patterns:
        api = getattr(pattern, "urlconf_module", None)
        candidates = api if isinstance(api, list) else []
        for candidate in candidates:
            callback = getattr(candidate, "callback", None)
            owner = getattr(callback, "keywords", {}).get("api")
            if isinstance(owner, NinjaAPI):
                return owner
    raise LookupError("No NinjaAPI is mounted in the URLconf.")


class Command(BaseCommand):
    help = "Write the OpenAPI document of /api/ to a file (sorted keys, stable)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", default="docs/api/openapi.json")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render_openapi_document(), encoding="utf-8")
        self.stdout.write(f"Wrote {path}")
