"""The import pages: upload, columns, preview with its progress, import, report, the list."""

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from kizuna.crm import progress
from kizuna.crm.models import ImportJob
from kizuna.crm.tests.factories import check, csv_bytes, upload
from kizuna.customers.models import CustomerAccount
from kizuna.identity import roles
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import MemberFactory, StaffFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

NEW_URL = reverse("crm:import-new")
LIST_URL = reverse("crm:import-list")
HEADERS = ["Account ID", "Account Name", "ARR"]


@pytest.fixture
def csm(client: Client) -> Member:
    staff: Member = StaffFactory(staff_role="csm")
    client.force_login(staff)
    return staff


def post_file(client: Client, data: bytes, kind: str = "accounts", name: str = "export.csv") -> Any:
    return client.post(NEW_URL, {"kind": kind, "file": SimpleUploadedFile(name, data, "text/csv")})


def test_a_csm_uploads_checks_and_imports_a_file_through_the_pages(
    client: Client, csm: Member, django_capture_on_commit_callbacks: Any
) -> None:
    data = csv_bytes(HEADERS, [["001A", "株式会社いち", "1200万"], ["001B", "株式会社に", "300万"]])
    response = post_file(client, data)
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("crm:import-mapping", args=[job.pk])

    page = client.get(response["Location"]).content.decode()
    assert "Salesforce export" in page
    assert "UTF-8" in page
    assert "株式会社いち" in page  # the first rows' values beside each column

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("crm:import-mapping", args=[job.pk]),
            {"column_0": "salesforce_id", "column_1": "name", "column_2": "arr_minor"},
        )
    assert response["Location"] == reverse("crm:import-preview", args=[job.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Every row can be imported" in page
    assert "Import 2 rows" in page
    assert CustomerAccount.objects.count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("crm:import-run", args=[job.pk]))
    assert response["Location"] == reverse("crm:import-preview", args=[job.pk])
    # The import ran (here at once; on a worker the preview shows its progress meanwhile).
    assert client.get(response["Location"])["Location"] == reverse(
        "crm:import-report", args=[job.pk]
    )
    report = client.get(reverse("crm:import-report", args=[job.pk]))
    assert report.status_code == 200
    assert [result.label for result, _fields in report.context["results"]] == [
        "株式会社いち",
        "株式会社に",
    ]
    assert CustomerAccount.objects.count() == 2
    listing = client.get(LIST_URL).content.decode()
    assert "export.csv" in listing and "Imported" in listing


def test_the_preview_lists_each_bad_row_with_its_line_and_offers_a_new_upload(
    client: Client, csm: Member, django_capture_on_commit_callbacks: Any
) -> None:
    job = check(
        csm,
        upload(csm, csv_bytes(HEADERS, [["001A", "いち", "100"], ["001B", "に", "abc"]])),
        django_capture_on_commit_callbacks,
    )
    response = client.get(reverse("crm:import-preview", args=[job.pk]))
    page = response.content.decode()
    assert "1 row cannot be imported." in page
    assert '<td class="numeric">3</td>' in page
    assert "“abc” is not an amount" in page
    assert "Upload the fixed file" in page
    assert "Import 2 rows" not in page
    # Running it anyway is refused with the reason, and nothing is written.
    response = client.post(reverse("crm:import-run", args=[job.pk]), follow=True)
    assert "fix the file and upload it again" in response.content.decode()
    assert CustomerAccount.objects.count() == 0


def test_while_checking_the_page_polls_a_progress_bar_that_reloads_when_done(
    client: Client, csm: Member
) -> None:
    job = upload(csm, csv_bytes(HEADERS, [["001A", "いち", "100"]] * 1))
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.CHECKING)
    progress.record(job.pk, "checking", 1200, 50000)
    page = client.get(reverse("crm:import-preview", args=[job.pk])).content.decode()
    progress_url = reverse("crm:import-progress", args=[job.pk])
    assert f'hx-get="{progress_url}"' in page and 'hx-trigger="every 1s"' in page
    partial = client.get(progress_url, headers={"HX-Request": "true"})
    assert (
        'value="1200"' in partial.content.decode()
        and "1,200 / 50,000 rows" in partial.content.decode()
    )

    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.CHECKED)
    done = client.get(progress_url, headers={"HX-Request": "true"})
    assert done.headers["HX-Refresh"] == "true"


def test_a_file_that_is_not_csv_or_too_large_is_refused_with_a_reason(
    client: Client, csm: Member, settings: Any
) -> None:
    response = post_file(client, b"%PDF-1.4", name="report.pdf")
    assert response.status_code == 400
    assert "Upload a CSV file (.csv)" in response.content.decode()
    response = post_file(client, b"Account Name\n")
    assert "no rows to import" in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_staff_without_economics_cannot_import_arr(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every role that manages accounts sees economics today; a vendor's matrix where CSMs do
    # not is made here.
    monkeypatch.setitem(
        roles.CAPABILITIES, roles.Capability.VIEW_ACCOUNT_ECONOMICS, frozenset({"administrator"})
    )
    staff: Member = StaffFactory(staff_role="csm")
    client.force_login(staff)
    post_file(client, csv_bytes(HEADERS, [["001A", "いち", "1200万"]]))
    job = ImportJob.objects.get()
    assert job.mapping == ["salesforce_id", "name", ""]
    page = client.get(reverse("crm:import-mapping", args=[job.pk])).content.decode()
    assert "These columns are left on Ignore: ARR." in page

    response = client.post(
        reverse("crm:import-mapping", args=[job.pk]),
        {"column_0": "salesforce_id", "column_1": "name", "column_2": "arr_minor"},
    )
    assert response.status_code == 403
    assert "The columns “ARR” hold account economics" in response.content.decode()
    job.refresh_from_db()
    assert (job.status, job.mapping) == (ImportJob.Status.MAPPING, ["salesforce_id", "name", ""])


def test_members_and_staff_who_do_not_manage_accounts_cannot_open_the_pages(
    client: Client, csm: Member
) -> None:
    job = upload(csm, csv_bytes(HEADERS, [["001A", "いち", "1"]]))
    urls = [
        LIST_URL,
        NEW_URL,
        reverse("crm:import-mapping", args=[job.pk]),
        reverse("crm:import-preview", args=[job.pk]),
        reverse("crm:import-report", args=[job.pk]),
    ]
    for who in (
        MemberFactory(),
        StaffFactory(staff_role="marketing"),
        StaffFactory(staff_role="community_manager"),
    ):
        client.force_login(who)
        assert {client.get(url).status_code for url in urls} == {403}
    client.force_login(csm)
    assert client.get(LIST_URL).status_code == 200
