"""Configuration from the environment, checked in fresh interpreters (settings load once per process)."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONFIG_VARIABLES = (
    "DATABASE_URL",
    "REDIS_URL",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DEBUG",
    "EMAIL_BACKEND",
    "KIZUNA_PROFILE",
    "DJANGO_SETTINGS_MODULE",
    # The browser tests set it for Playwright's event loop; a deployment must not have it.
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)
PRINT_SETTINGS = """
import json, django
django.setup()
from django.conf import settings
from config.celery import app
print(json.dumps({
    "database": settings.DATABASES["default"]["ENGINE"],
    "cache": settings.CACHES["default"]["BACKEND"],
    "eager": app.conf.task_always_eager,
    "broker": app.conf.broker_url,
    "email": settings.EMAIL_BACKEND,
}))
"""
GOOD_PRODUCTION = {
    "KIZUNA_PROFILE": "prod",
    "SECRET_KEY": secrets.token_urlsafe(60),
    "ALLOWED_HOSTS": "community.example.jp",
    "DATABASE_URL": "postgres://kizuna@db.internal:5432/kizuna",
    "REDIS_URL": "redis://redis.internal:6379/0",
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
}


def run(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in CONFIG_VARIABLES}
    clean["DJANGO_SETTINGS_MODULE"] = "config.settings"
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def settings_with(**env: str) -> dict[str, object]:
    result = run(["-c", PRINT_SETTINGS], **env)
    assert result.returncode == 0, result.stderr
    loaded: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    return loaded


def test_nothing_set_gives_the_embedded_default() -> None:
    assert settings_with() == {
        "database": "django.db.backends.sqlite3",
        "cache": "django.core.cache.backends.locmem.LocMemCache",
        "eager": True,
        "broker": "memory://",
        "email": "django.core.mail.backends.console.EmailBackend",
    }


def test_redis_url_sends_celery_tasks_through_redis() -> None:
    loaded = settings_with(REDIS_URL="redis://127.0.0.1:6379/3")

    assert loaded["broker"] == "redis://127.0.0.1:6379/3"
    assert loaded["eager"] is False
    assert loaded["cache"] == "django.core.cache.backends.redis.RedisCache"


@pytest.mark.parametrize(
    ("setting", "insecure_value"),
    [
        ("SECRET_KEY", "short"),
        ("DEBUG", "1"),
        ("ALLOWED_HOSTS", "*"),
        ("DATABASE_URL", "sqlite:///var/kizuna.sqlite3"),
        ("REDIS_URL", ""),
        ("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"),
    ],
)
def test_prod_profile_refuses_an_insecure_setting_and_names_it(
    setting: str, insecure_value: str
) -> None:
    result = run(["manage.py", "check"], **{**GOOD_PRODUCTION, setting: insecure_value})

    assert result.returncode != 0
    assert "Refusing to start the prod profile" in result.stderr
    assert f"{setting} must" in result.stderr


def test_prod_profile_with_good_settings_passes_the_deploy_check() -> None:
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **GOOD_PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
