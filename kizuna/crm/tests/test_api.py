"""The CRM import API: upload with or without a mapping, poll the check, read errors, run."""

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from kizuna.crm.models import ImportJob
from kizuna.crm.tests.factories import csv_bytes
from kizuna.customers.models import CustomerAccount
from kizuna.identity import roles
from kizuna.identity.models import ApiKey, Member
from kizuna.identity.services import generate_api_key_secret
from kizuna.identity.tests.factories import StaffFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

HEADERS = ["Account ID", "Account Name", "ARR"]


class Api:
    def __init__(self, member: Member, scopes: list[str] | None = None) -> None:
        prefix, secret = generate_api_key_secret()
        ApiKey.objects.create(
            name="crm sync",
            prefix=prefix,
            key_hash=ApiKey.hash_secret(secret),
            scopes=scopes or ["accounts:write"],
            created_by=member,
        )
        self.client = Client()
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}", "HTTP_ACCEPT_LANGUAGE": "en"}

    def upload(self, data: bytes, kind: str = "accounts", mapping: Any = None) -> Any:
        fields: dict[str, Any] = {"kind": kind, "file": SimpleUploadedFile("sf.csv", data)}
        if mapping is not None:
            fields["mapping"] = mapping if isinstance(mapping, str) else json.dumps(mapping)
        return self.client.post("/api/crm-imports", fields, **self.headers)

    def get(self, path: str) -> Any:
        return self.client.get(path, **self.headers)

    def post(self, path: str) -> Any:
        return self.client.post(path, **self.headers)


def test_a_crm_sync_uploads_a_file_polls_its_check_and_runs_it(
    django_capture_on_commit_callbacks: Any,
) -> None:
    api = Api(StaffFactory(staff_role="csm"))
    data = csv_bytes(HEADERS, [["001A", "いち", "1200万"], ["001B", "に", "100"]], encoding="cp932")
    with django_capture_on_commit_callbacks(execute=True):
        created = api.upload(data)
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["kind"], body["recognised_as"], body["encoding"]) == (
        "accounts",
        "salesforce",
        "Shift_JIS (CP932)",
    )
    assert body["mapping"] == ["salesforce_id", "name", "arr_minor"]

    job = api.get(f"/api/crm-imports/{body['id']}").json()
    assert job["status"] == "checked"
    assert job["counts"] == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 0}
    assert (job["items"], job["count"]) == ([], 0)

    with django_capture_on_commit_callbacks(execute=True):
        ran = api.post(f"/api/crm-imports/{body['id']}/run")
    assert ran.status_code == 202
    assert api.get(f"/api/crm-imports/{body['id']}").json()["status"] == "done"
    assert CustomerAccount.objects.get(salesforce_id="001A").arr_minor == 12_000_000
    # Asking again changes nothing.
    assert api.post(f"/api/crm-imports/{body['id']}/run").status_code == 202
    assert CustomerAccount.objects.count() == 2


def test_rejected_rows_are_listed_by_line_with_paging_and_the_file_cannot_run(
    django_capture_on_commit_callbacks: Any,
) -> None:
    api = Api(StaffFactory(staff_role="csm"))
    rows = [["001A", "いち", "1"], ["001B", "", "x"], ["001C", "さん", "y"]]
    with django_capture_on_commit_callbacks(execute=True):
        body = api.upload(
            csv_bytes(HEADERS, rows), mapping=["salesforce_id", "name", "arr_minor"]
        ).json()
    page = api.get(f"/api/crm-imports/{body['id']}?limit=2").json()
    assert page["counts"]["rejected"] == 2
    assert page["count"] == 3 and page["has_more"] is True
    assert [(item["line"], item["column"], item["message"]) for item in page["items"]] == [
        (3, "Account ID", "No account has the ID 001B; add the company name to create one."),
        (3, "ARR", "“x” is not an amount; write digits such as 12000000 or 1200万."),
    ]
    refused = api.post(f"/api/crm-imports/{body['id']}/run")
    assert refused.status_code == 422
    assert "fix the file and upload it again" in refused.json()["error"]["message"]
    assert CustomerAccount.objects.count() == 0


def test_a_bad_mapping_or_file_is_a_422_and_keeps_nothing() -> None:
    api = Api(StaffFactory(staff_role="csm"))
    data = csv_bytes(HEADERS, [["001A", "いち", "1"]])
    assert api.upload(data, mapping="not json").status_code == 422
    wrong = api.upload(data, mapping=["name", "name", ""])
    assert wrong.status_code == 422 and "column_1" in wrong.json()["error"]["fields"]
    assert api.upload(b"", mapping=None).status_code == 422
    assert ImportJob.objects.count() == 0


def test_staff_without_economics_are_refused_a_file_with_arr(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(
        roles.CAPABILITIES, roles.Capability.VIEW_ACCOUNT_ECONOMICS, frozenset({"administrator"})
    )
    api = Api(StaffFactory(staff_role="csm"))
    data = csv_bytes(HEADERS, [["001A", "いち", "1200万"]])
    refused = api.upload(data)
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "economics_hidden"
    assert "“ARR”" in refused.json()["error"]["message"]
    assert api.upload(data, mapping=["salesforce_id", "name", "arr_minor"]).status_code == 403
    assert ImportJob.objects.count() == 0
    # Ignoring the column is allowed.
    assert api.upload(data, mapping=["salesforce_id", "name", ""]).status_code == 201


def test_keys_without_the_scope_and_staff_who_do_not_manage_accounts_are_refused() -> None:
    data = csv_bytes(HEADERS, [["001A", "いち", "1"]])
    assert (
        Api(StaffFactory(staff_role="csm"), scopes=["accounts:read"]).upload(data).status_code
        == 403
    )
    assert Api(StaffFactory(staff_role="marketing")).upload(data).status_code == 403
    owner = StaffFactory(staff_role="csm")
    job_id = Api(owner).upload(data).json()["id"]
    assert (
        Api(StaffFactory(staff_role="marketing")).get(f"/api/crm-imports/{job_id}").status_code
        == 403
    )
    assert Api(owner).get("/api/crm-imports/999999").status_code == 404
