"""The segment pages: the editor (rows added, removed, changed; the live count), saving,
the detail with the definition in words, the CSV export, deleting."""

import csv
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kizuna.core.models import AuditEntry
from kizuna.customers.tests.factories import CustomerAccountFactory, make_customer
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import MemberFactory, StaffFactory
from kizuna.segments.models import Segment
from kizuna.spaces.tests.factories import MembershipFactory, SpaceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

CREATE = reverse("segments:segment-create")
PREVIEW = reverse("segments:segment-preview")


@pytest.fixture
def csm(client: Client) -> Member:
    staff: Member = StaffFactory(staff_role="csm", display_name="Chika CSM")
    client.force_login(staff)
    return staff


def editor_post(**fields: Any) -> dict[str, Any]:
    data = {"name": "", "description": "", "target": "members", "match": "all"}
    data.update(fields)
    return data


def test_the_new_segment_editor_starts_with_one_empty_condition(
    client: Client, csm: Member
) -> None:
    response = client.get(CREATE)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="c-0-field"' in html
    assert 'name="c-1-field"' not in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert f'hx-post="{PREVIEW}"' in html


def test_adding_and_removing_rows_posts_the_editor_back_without_saving(
    client: Client, csm: Member
) -> None:
    added = client.post(CREATE, editor_post(**{"c-0-field": "", "_add": "1"}))
    html = added.content.decode()
    assert added.status_code == 200
    assert 'name="c-1-field"' in html
    removed = client.post(
        CREATE,
        editor_post(**{"c-0-field": "member.joined", "c-1-field": "member.active", "_remove": "0"}),
    )
    html = removed.content.decode()
    assert 'name="c-1-field"' not in html
    assert '<option value="member.active" selected>' in html
    assert Segment.objects.count() == 0


def test_choosing_a_field_offers_its_operators_and_value_inputs(
    client: Client, csm: Member
) -> None:
    html = client.post(
        CREATE, editor_post(**{"c-0-field": "member.events_attended", "c-0-op": "in"})
    ).content.decode()
    # "in" belongs to another field: the row starts from this field's first operator.
    assert '<option value="gte" selected>at least</option>' in html
    assert 'name="c-0-count"' in html
    assert 'name="c-0-days"' in html


def test_the_live_count_and_first_matches(client: Client, csm: Member) -> None:
    space = SpaceFactory()
    for name in ("Aoi", "Ren"):
        MembershipFactory(space=space, member=MemberFactory(display_name=name))
    MemberFactory(display_name="Outside")
    response = client.post(
        PREVIEW,
        editor_post(**{"c-0-field": "member.space", "c-0-op": "in", "c-0-values": [str(space.pk)]}),
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-count="2"' in html
    assert "Aoi" in html and "Ren" in html
    assert "Outside" not in html


def test_an_incomplete_condition_says_what_is_missing_instead_of_a_count(
    client: Client, csm: Member
) -> None:
    response = client.post(
        PREVIEW,
        editor_post(**{"c-0-field": "member.joined", "c-0-op": "within_last", "c-0-value": ""}),
    )
    assert response.status_code == 400
    assert "Condition 1: Enter a number of days from 1 to 3650." in response.content.decode()


def test_saving_a_segment_stores_its_conditions_and_opens_it(client: Client, csm: Member) -> None:
    response = client.post(
        CREATE,
        editor_post(
            name="新しく参加した人",
            description="オンボーディングの案内先",
            **{
                "c-0-field": "member.joined",
                "c-0-op": "within_last",
                "c-0-value": "30",
                "c-1-field": "",
                "_save": "1",
            },
        ),
    )
    segment = Segment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("segments:segment-detail", args=[segment.pk])
    assert segment.conditions == [{"field": "member.joined", "op": "within_last", "value": 30}]
    assert segment.created_by == csm
    assert not segment.uses_economics
    entry = AuditEntry.objects.get(action="segments.created")
    assert entry.details == {"conditions": 1}


def test_a_bad_save_keeps_what_was_typed_and_marks_the_row(client: Client, csm: Member) -> None:
    response = client.post(
        CREATE,
        editor_post(
            name="",
            **{
                "c-0-field": "member.joined",
                "c-0-op": "within_last",
                "c-0-value": "-3",
                "_save": "1",
            },
        ),
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Give the segment a name." in html
    assert "Enter a number of days from 1 to 3650." in html
    assert 'value="-3"' in html
    assert Segment.objects.count() == 0


def test_a_segment_needs_a_condition(client: Client, csm: Member) -> None:
    response = client.post(CREATE, editor_post(name="Everyone", **{"_save": "1"}))
    assert response.status_code == 400
    assert "Add at least one condition." in response.content.decode()


def test_editing_shows_the_stored_values_and_saves_changes(client: Client, csm: Member) -> None:
    segment = Segment.objects.create(
        name="Active",
        conditions=[
            {"field": "member.posts", "op": "gte", "value": {"count": 3, "days": 30}},
            {
                "field": "account.arr",
                "op": "gte",
                "value": {"minor": 12_000_000, "currency": "JPY"},
            },
        ],
        uses_economics=True,
    )
    url = reverse("segments:segment-edit", args=[segment.pk])
    html = client.get(url).content.decode()
    assert 'name="c-0-count" value="3"' in html
    assert 'name="c-0-days" value="30"' in html
    assert 'name="c-1-value" value="12000000"' in html
    response = client.post(
        url,
        editor_post(
            name="Very active",
            match="any",
            **{
                "c-0-field": "member.posts",
                "c-0-op": "gte",
                "c-0-count": "5",
                "c-0-days": "30",
                "_save": "1",
            },
        ),
    )
    assert response.status_code == 302
    segment.refresh_from_db()
    assert segment.name == "Very active"
    assert segment.match == "any"
    assert segment.conditions == [
        {"field": "member.posts", "op": "gte", "value": {"count": 5, "days": 30}}
    ]
    assert not segment.uses_economics


def test_the_detail_reads_the_definition_in_words_and_lists_the_members(
    client: Client, csm: Member
) -> None:
    account = CustomerAccountFactory(name="Alpha", touch_tier="high")
    make_customer(account, display_name="Aoi")
    make_customer(CustomerAccountFactory(touch_tier="low"), display_name="Ren")
    segment = Segment.objects.create(
        name="High touch people",
        conditions=[{"field": "account.touch_tier", "op": "in", "value": ["high"]}],
        uses_economics=True,
    )
    html = client.get(reverse("segments:segment-detail", args=[segment.pk])).content.decode()
    assert "Touch tier is one of: High touch" in html
    assert "Aoi" in html
    assert "Ren" not in html
    assert ">1<" in html  # the count


def test_the_list_shows_each_segment_with_its_count_now(client: Client, csm: Member) -> None:
    MemberFactory(display_name="Aoi")
    Segment.objects.create(
        name="Joined this month",
        conditions=[{"field": "member.joined", "op": "within_last", "value": 30}],
    )
    html = client.get(reverse("segments:segment-list")).content.decode()
    assert "Joined this month" in html
    # Aoi and the CSM herself joined today.
    assert "<strong>2</strong>" in html


def csv_rows(response: Any) -> list[list[str]]:
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))


def test_the_export_is_a_csv_with_economics_only_for_those_who_may_see_them(
    client: Client,
) -> None:
    account = CustomerAccountFactory(name="Alpha", touch_tier="high", arr_minor=12_000_000)
    make_customer(account, display_name="=Aoi", email="aoi@alpha.example")
    segment = Segment.objects.create(
        name="Alpha people",
        conditions=[{"field": "account.lifecycle_stage", "op": "in", "value": ["onboarding"]}],
    )
    url = reverse("segments:segment-export", args=[segment.pk])

    client.force_login(StaffFactory(staff_role="csm"))
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="segment-')
    header, row = csv_rows(response)
    assert header == [
        "Name",
        "Email",
        "Company",
        "Lifecycle stage",
        "Level",
        "Points",
        "Joined",
        "Touch tier",
        "ARR",
        "Currency",
    ]
    # A cell a spreadsheet would run as a formula is quoted.
    assert row[:5] == ["'=Aoi", "aoi@alpha.example", "Alpha", "Onboarding", "Bronze"]
    assert row[7:] == ["High touch", "12000000", "JPY"]

    client.force_login(StaffFactory(staff_role="marketing"))
    header, row = csv_rows(client.get(url))
    assert "ARR" not in header and "Touch tier" not in header
    assert len(row) == 7
    entries = AuditEntry.objects.filter(action="segments.exported").order_by("pk")
    assert [entry.details for entry in entries] == [
        {"rows": 1, "with_economics": True},
        {"rows": 1, "with_economics": False},
    ]


def test_deleting_asks_first_then_deletes(client: Client, csm: Member) -> None:
    segment = Segment.objects.create(
        name="Old", conditions=[{"field": "member.joined", "op": "within_last", "value": 30}]
    )
    url = reverse("segments:segment-delete", args=[segment.pk])
    assert "Delete the segment “Old”?" in client.get(url).content.decode()
    assert Segment.objects.filter(pk=segment.pk).exists()
    response = client.post(url)
    assert response.status_code == 302
    assert not Segment.objects.filter(pk=segment.pk).exists()
    assert AuditEntry.objects.filter(action="segments.deleted", target_id=str(segment.pk)).exists()


HOSTILE = [
    "",
    "\x00",
    "-1",
    "99999999999999999999",
    "1e400",
    "NaN",
    "<script>",
    "custom:",
    "x" * 300,
]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_editor_posts_never_fail_or_save(client: Client, csm: Member, value: str) -> None:
    for field in ("member.level", "member.posts", "account.arr", "custom:", value):
        for op in ("gte", "in", value):
            data = editor_post(
                name=value,
                target=value,
                match=value,
                **{
                    "c-0-field": field,
                    "c-0-op": op,
                    "c-0-value": value,
                    "c-0-values": [value],
                    "c-0-count": value,
                    "c-0-days": value,
                    "_remove": value,
                },
            )
            assert client.post(PREVIEW, data).status_code in {200, 400}
            assert client.post(CREATE, {**data, "_save": "1"}).status_code in {400, 403}
            assert client.post(CREATE, data).status_code == 200
    assert Segment.objects.count() == 0
