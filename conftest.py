from pathlib import Path

import pytest
from pytest_django.fixtures import Settings


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Settings, tmp_path: Path) -> None:
    """Uploaded files of a test go to its own folder, never the developer's var/media."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def english(settings: Settings) -> None:
    """Pages and messages in English, whatever catalogues exist: members default to Japanese."""
    settings.LANGUAGE_CODE = "en"
    settings.LANGUAGES = [("en", "English")]
