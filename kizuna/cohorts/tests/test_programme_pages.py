import datetime

import pytest
from django.test import Client
from django.urls import reverse

from kizuna.cohorts.models import Programme, ProgrammeStatus
from kizuna.cohorts.tests.factories import ProgrammeFactory, SessionFactory
from kizuna.customers.tests.factories import CustomerAccountFactory, make_customer
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import MemberFactory, StaffFactory
from kizuna.spaces.tests.factories import SpaceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _client(member: Member) -> Client:
    client = Client()
    client.force_login(member)
    return client


def test_a_csm_creates_a_programme_and_runs_it_in_the_browser() -> None:
    csm = StaffFactory(staff_role="csm")
    space = SpaceFactory()
    client = _client(csm)
    listing = client.get(reverse("cohorts:programme-list")).content.decode()
    assert reverse("cohorts:programme-create") in listing

    response = client.post(
        reverse("cohorts:programme-create"),
        {
            "title": "学びのコミュニティ第3期",
            "description": "6社で半年間",
            "space": space.pk,
            "owner": csm.pk,
            "status": ProgrammeStatus.PLANNED,
        },
    )

    programme = Programme.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cohorts:programme-manage", args=[programme.pk])
    manage = reverse("cohorts:programme-manage", args=[programme.pk])
    client.post(
        reverse("cohorts:session-add", args=[programme.pk]),
        {"number": 1, "date": "2026-04-10", "title": "キックオフ"},
    )
    account = CustomerAccountFactory(name="株式会社サンプル")
    client.post(reverse("cohorts:company-add", args=[programme.pk]), {"account": account.pk})
    customer = make_customer(account=account, email="sato@sample.example")
    response = client.post(
        reverse("cohorts:participant-add", args=[programme.pk]),
        {"member": " Sato@Sample.example ", "project_title": "営業DX", "account": ""},
    )
    assert response.status_code == 302

    page = client.get(manage).content.decode()
    assert "キックオフ" in page
    assert "株式会社サンプル" in page
    assert "営業DX" in page
    assert programme.participants.get().member == customer


def test_the_csm_edits_the_programme_and_moves_a_session() -> None:
    session = SessionFactory(number=1, title="第1回")
    programme = session.programme
    client = _client(programme.owner)

    response = client.post(
        reverse("cohorts:session-edit", args=[programme.pk, 1]),
        {"number": 2, "date": "2026-05-12", "title": "第2回"},
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.number, session.date) == (2, datetime.date(2026, 5, 12))

    response = client.post(
        reverse("cohorts:programme-edit", args=[programme.pk]),
        {
            "title": "改名した期",
            "description": "",
            "space": programme.space_id,
            "owner": programme.owner_id,
            "status": ProgrammeStatus.FINISHED,
        },
    )
    assert response.status_code == 302
    programme.refresh_from_db()
    assert (programme.title, programme.status) == ("改名した期", ProgrammeStatus.FINISHED)


def test_mistakes_come_back_in_words_on_the_page() -> None:
    programme = ProgrammeFactory()
    SessionFactory(programme=programme, number=1)
    SessionFactory(programme=programme, number=2)
    client = _client(programme.owner)

    unknown = client.post(
        reverse("cohorts:participant-add", args=[programme.pk]),
        {"member": "nobody@example.org", "project_title": "x"},
    )
    taken = client.post(
        reverse("cohorts:session-edit", args=[programme.pk, 2]),
        {"number": 1, "date": "2026-05-12", "title": "第2回"},
    )

    assert unknown.status_code == 400
    assert "No member has this email address." in unknown.content.decode()
    assert taken.status_code == 400
    assert "Another session already has this number." in taken.content.decode()


def test_staff_who_may_read_but_not_run_a_programme_are_refused() -> None:
    programme = ProgrammeFactory()
    marketing = _client(StaffFactory(staff_role="marketing"))
    member = _client(MemberFactory())

    assert (
        marketing.get(reverse("cohorts:programme-manage", args=[programme.pk])).status_code == 403
    )
    assert marketing.get(reverse("cohorts:programme-create")).status_code == 403
    detail = marketing.get(reverse("cohorts:programme-detail", args=[programme.pk]))
    assert reverse("cohorts:programme-manage", args=[programme.pk]) not in detail.content.decode()
    assert member.get(reverse("cohorts:programme-create")).status_code == 403
    assert (
        member.post(
            reverse("cohorts:company-add", args=[programme.pk]),
            {"account": CustomerAccountFactory().pk},
        ).status_code
        == 403
    )
    assert not programme.accounts.exists()
