"""Every message has a Japanese and an English translation, and the compiled catalogues are current."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from kizuna.core.catalog import read_catalog, untranslated

BASE_DIR = Path(settings.BASE_DIR)
SOURCE_DIRS = ("kizuna", "templates", "config")
LANGUAGES = ("ja", "en")


@pytest.fixture(scope="module")
def extracted_catalogs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Run makemessages over the sources into a copy of the committed catalogues."""
    workdir = tmp_path_factory.mktemp("messages")
    for name in SOURCE_DIRS:
        (workdir / name).symlink_to(BASE_DIR / name)
    shutil.copytree(BASE_DIR / "locale", workdir / "locale")
    return workdir / "locale"


def _run_makemessages(workdir: Path) -> None:
    previous = Path.cwd()
    os.chdir(workdir)
    try:
        call_command(
            "makemessages",
            locale=list(LANGUAGES),
            symlinks=True,
            no_obsolete=True,
            no_location=True,
            ignore_patterns=["*/tests/*", "*/migrations/*"],
            verbosity=0,
        )
    finally:
        os.chdir(previous)


@pytest.fixture(scope="module")
def fresh_catalogs(extracted_catalogs: Path) -> Path:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(settings, "LOCALE_PATHS", [extracted_catalogs])
        _run_makemessages(extracted_catalogs.parent)
    return extracted_catalogs


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated(fresh_catalogs: Path, language: str) -> None:
    entries = read_catalog(fresh_catalogs / language / "LC_MESSAGES" / "django.po")
    missing = [entry.msgid for entry in untranslated(entries)]
    assert missing == [], (
        f"{len(missing)} messages lack a {language} translation; run `make messages` and translate them"
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalog_matches_its_source(tmp_path: Path, language: str) -> None:
    source = BASE_DIR / "locale" / language / "LC_MESSAGES" / "django.po"
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(compiled), str(source)], check=True)
    committed = BASE_DIR / "locale" / language / "LC_MESSAGES" / "django.mo"
    assert committed.read_bytes() == compiled.read_bytes(), (
        "run `make messages` to recompile the catalogues"
    )


def test_untranslated_entries_are_detected(tmp_path: Path) -> None:
    catalog = tmp_path / "django.po"
    catalog.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Spaces"\nmsgstr "スペース"\n\n'
        '#, fuzzy\nmsgid "Join"\nmsgstr "参加"\n\n'
        'msgid "Leave"\nmsgstr ""\n',
        encoding="utf-8",
    )
    assert [entry.msgid for entry in untranslated(read_catalog(catalog))] == ["Join", "Leave"]
