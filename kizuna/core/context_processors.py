from typing import Any

from django.conf import settings
from django.http import HttpRequest


def community(request: HttpRequest) -> dict[str, Any]:
    return {"community": settings.KIZUNA_COMMUNITY}
