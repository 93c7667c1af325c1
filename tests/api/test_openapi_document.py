"""The committed OpenAPI document is the one the code generates."""

from pathlib import Path

from django.core.management import call_command
from django.test import Client

COMMITTED = Path(__file__).resolve().parents[2] / "docs" / "api" / "openapi.json"


def _export(path: Path) -> str:
    # The command `make openapi` runs, with the same options.
    call_command("export_openapi_schema", "--indent", "2", "--sorted", "--output", str(path))
    return path.read_text(encoding="utf-8")


def test_committed_openapi_document_is_current(tmp_path: Path) -> None:
    assert COMMITTED.read_text(encoding="utf-8") == _export(tmp_path / "openapi.json"), (
        "docs/api/openapi.json is stale: run `make openapi`"
    )


def test_export_is_stable_between_runs(tmp_path: Path) -> None:
    assert _export(tmp_path / "first.json") == _export(tmp_path / "second.json")


def test_openapi_document_is_served_at_api_openapi_json() -> None:
    response = Client().get("/api/openapi.json")

    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Kizuna API"


def test_every_operation_names_its_api_key_scope() -> None:
    document = Client().get("/api/openapi.json").json()

    scopes = {
        (method.upper(), path): operation["security"][0]["ApiKeyAuth"]
        for path, item in document["paths"].items()
        for method, operation in item.items()
    }
    assert len(scopes) == 127
    assert {tuple(scope) for scope in scopes.values()} == {
        ("spaces:read",),
        ("spaces:write",),
        ("members:read",),
        ("accounts:read",),
        ("accounts:write",),
        ("content:read",),
        ("content:write",),
        ("moderation:read",),
        ("moderation:write",),
        ("notifications:read",),
        ("notifications:write",),
        ("recognition:read",),
        ("recognition:write",),
        ("success:read",),
        ("success:write",),
    }
    assert scopes[("GET", "/api/spaces")] == ["spaces:read"]
    assert scopes[("POST", "/api/accounts")] == ["accounts:write"]
    assert scopes[("GET", "/api/search")] == ["content:read"]
    assert scopes[("POST", "/api/review-queue/{item_id}/hide")] == ["moderation:write"]
    assert scopes[("GET", "/api/recognition/members/{member_id}/ledger")] == ["recognition:read"]
    assert scopes[("POST", "/api/rewards/{reward_id}/redeem")] == ["recognition:write"]
    assert scopes[("PUT", "/api/events/{event_id}/survey")] == ["content:write"]
    assert scopes[("GET", "/api/plays")] == ["success:read"]
    assert scopes[("PUT", "/api/accounts/by-external-id/{external_id}")] == ["accounts:write"]
