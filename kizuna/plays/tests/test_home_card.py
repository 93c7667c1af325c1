"""The staff home counts the plays due: a CSM's own, everyone's for an administrator, nothing
for staff who may not see plays."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kizuna.customers.tests.factories import CustomerAccountFactory
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import StaffFactory
from kizuna.plays.models import PlayStatus
from kizuna.plays.selectors import open_play_count
from kizuna.plays.tests.factories import PlayFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
STAFF_HOME = reverse("staff:staff-home")


@pytest.fixture
def csm() -> Member:
    csm: Member = StaffFactory(staff_role="csm")
    other = StaffFactory(staff_role="csm")
    for _ in range(2):
        PlayFactory(account=CustomerAccountFactory(csm_owner=csm))
    PlayFactory(
        account=CustomerAccountFactory(csm_owner=csm),
        status=PlayStatus.DONE,
        closed_at=timezone.now(),
    )
    PlayFactory(account=CustomerAccountFactory(csm_owner=other))
    PlayFactory(account=CustomerAccountFactory())
    return csm


def test_open_play_count_is_a_csm_s_own_and_everyone_s_for_others(csm: Member) -> None:
    assert open_play_count(csm) == 2
    assert open_play_count(StaffFactory(staff_role="administrator")) == 4
    assert open_play_count(StaffFactory(staff_role="executive")) == 4
    assert open_play_count(StaffFactory(staff_role="marketing")) == 0


def test_the_staff_home_shows_plays_due(client: Client, csm: Member) -> None:
    client.force_login(csm)
    html = client.get(STAFF_HOME).content.decode()
    assert "Plays due" in html
    assert '<strong class="home-figure">2</strong> plays due on your accounts' in html
    client.force_login(StaffFactory(staff_role="administrator"))
    assert (
        '<strong class="home-figure">4</strong> plays due'
        in client.get(STAFF_HOME).content.decode()
    )


def test_staff_who_may_not_see_plays_get_no_card(client: Client, csm: Member) -> None:
    client.force_login(StaffFactory(staff_role="marketing"))
    assert "Plays due" not in client.get(STAFF_HOME).content.decode()
