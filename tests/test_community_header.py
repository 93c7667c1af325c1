"""The header shows the community's own name and colour, set from the environment."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import Settings

from kizuna.core.context_processors import ink_on

ROOT = Path(__file__).resolve().parent.parent
PRINT_COMMUNITY = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.KIZUNA_COMMUNITY['name'], settings.KIZUNA_COMMUNITY['primary_color'], "
    "settings.MFA_TOTP_ISSUER)"
)


def settings_with(**env: str) -> subprocess.CompletedProcess[str]:
    """Load the settings in a fresh interpreter: they are read from the environment once."""
    clean = {
        key: value for key, value in os.environ.items() if not key.startswith("KIZUNA_COMMUNITY")
    }
    clean.pop("KIZUNA_PRIMARY_COLOR", None)
    clean.update(DJANGO_SETTINGS_MODULE="config.settings", **env)
    return subprocess.run(
        [sys.executable, "-c", PRINT_COMMUNITY],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.django_db
def test_the_header_shows_the_community_name_colour_and_mark(
    client: Client, settings: Settings
) -> None:
    settings.KIZUNA_COMMUNITY = {"name": "さくらユーザー会", "primary_color": "#ffd700"}
    html = client.get(reverse("spaces:space-list")).content.decode()
    assert '<span class="brand-name">さくらユーザー会</span>' in html
    assert '<span class="brand-mark" aria-hidden="true">さ</span>' in html
    # A light colour gets dark text on the brand mark.
    assert "--brand: #ffd700; --on-brand: #000000;" in html


def test_text_on_the_community_colour_is_whichever_of_black_and_white_reads_better() -> None:
    assert ink_on("#2f5d8a") == "#ffffff"
    assert ink_on("#ffd700") == "#000000"
    assert ink_on("#000000") == "#ffffff"
    assert ink_on("#FFFFFF") == "#000000"


def test_name_and_colour_come_from_the_environment() -> None:
    loaded = settings_with(KIZUNA_COMMUNITY_NAME="Acme Users", KIZUNA_COMMUNITY_COLOR="#aa3300")
    assert loaded.returncode == 0, loaded.stderr[-2000:]
    assert loaded.stdout.split() == ["Acme", "Users", "#aa3300", "Acme", "Users"]


def test_without_settings_the_demo_community_is_named() -> None:
    loaded = settings_with()
    assert loaded.returncode == 0, loaded.stderr[-2000:]
    assert loaded.stdout.startswith("クラウド経費ナビ コミュニティ #2f5d8a")


def test_a_colour_that_could_break_out_of_the_page_css_is_refused() -> None:
    loaded = settings_with(KIZUNA_COMMUNITY_COLOR="red; } body { display: none")
    assert loaded.returncode != 0
    assert "KIZUNA_COMMUNITY_COLOR must be a colour like #2f5d8a" in loaded.stderr
