from pathlib import Path

import pytest
from pytest_django.fixtures import SettingsWrapper


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: SettingsWrapper, tmp_path: Path) -> None:
    """Uploaded files of a test go to its own folder, never the developer's var/media."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
