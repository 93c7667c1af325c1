from collections.abc import Iterator
from importlib import import_module
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.db.models.signals import post_migrate
from pytest_django.fixtures import Settings

from kizuna.gamification.migrations import _defaults

# A migration's module name starts with its number, so it cannot be imported by name.
_default_badges = import_module("kizuna.badges.migrations.0002_default_badges")
_default_play_rules = import_module("kizuna.plays.migrations.0002_default_rules")


def _restore_default_rows(**kwargs: Any) -> None:
    _defaults.ensure_defaults()
    _default_badges.create_default_badges(apps, None)
    _default_play_rules.create_default_rules(apps, None)


@pytest.fixture(scope="session", autouse=True)
def _default_rows_survive_flushes() -> Iterator[None]:
    """The default points rules, levels, badges and play rules are there in every test, transactional or not.

    Data migrations create them, and a transactional (or live-server) test ends by flushing
    every table, which would leave the tests after it without them. Django sends post_migrate
    after that flush, so they are made again there, only in tests: production keeps what staff
    set, and a second `migrate` does not bring back a level staff deleted.
    """
    gamification = apps.get_app_config("gamification")
    post_migrate.connect(_restore_default_rows, sender=gamification, dispatch_uid="kizuna-tests")
    yield
    post_migrate.disconnect(sender=gamification, dispatch_uid="kizuna-tests")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Settings, tmp_path: Path) -> None:
    """Uploaded files of a test go to its own folder, never the developer's var/media."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def english(settings: Settings) -> None:
    """Pages and messages in English, whatever catalogues exist: members default to Japanese."""
    settings.LANGUAGE_CODE = "en"
    settings.LANGUAGES = [("en", "English")]
