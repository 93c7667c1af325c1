from typing import Any

from django.conf import settings
from django.http import HttpRequest


def ink_on(colour: str) -> str:
    """Black or white, whichever reads better on the `#rrggbb` colour (WCAG relative luminance).

    The community's colour is chosen by whoever deploys it, so the brand mark cannot assume
    white text will show on it.
    """

    def linear(channel: str) -> float:
        value = int(channel, 16) / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(colour[index : index + 2]) for index in (1, 3, 5))
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    # The luminance at which black and white have the same contrast ratio against the colour.
    return "#000000" if luminance > 0.179 else "#ffffff"


def community(request: HttpRequest) -> dict[str, Any]:
    name: str = settings.KIZUNA_COMMUNITY["name"]
    colour: str = settings.KIZUNA_COMMUNITY["primary_color"]
    return {
        "community": {
            **settings.KIZUNA_COMMUNITY,
            "mark": name.strip()[:1] or "絆",
            "ink_on_primary": ink_on(colour),
        }
    }
