import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: pytest.FixtureRequest, tmp_path: object) -> None:
    """Uploaded files of a test go to its own folder, never the developer's var/media."""
    settings.MEDIA_ROOT = str(tmp_path) + "/media"  # type: ignore[attr-defined]
