"""Real threads on separate PostgreSQL connections race for the seats of one event."""

import random
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from kizuna.events.models import Event, Registration, RegistrationStatus, SeatKind
from kizuna.events.services import cancel_registration, register
from kizuna.events.tests.factories import EventFactory
from kizuna.identity.models import Member

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("english")]

WORKERS = 16


def _run_all(calls: list[Callable[[], object]]) -> list[str]:
    """Run the calls from a pool of threads started together, each thread on its own
    connection; return every outcome in the order of the calls."""
    workers = min(WORKERS, len(calls))
    barrier = threading.Barrier(workers)
    pending = iter(enumerate(calls))
    take = threading.Lock()
    outcomes = [""] * len(calls)

    def work() -> None:
        barrier.wait()
        try:
            while True:
                with take:
                    item = next(pending, None)
                if item is None:
                    return
                index, call = item
                try:
                    call()
                    outcomes[index] = "ok"
                except Exception as error:  # every failure must show in the assertion
                    outcomes[index] = f"crash: {error!r}"
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        for future in [pool.submit(work) for _ in range(workers)]:
            future.result(timeout=120)
    return outcomes


def _members(count: int) -> list[Member]:
    return Member.objects.bulk_create(
        [
            Member(email=f"racer{index}@example.jp", display_name=f"参加者{index}")
            for index in range(count)
        ]
    )


def _confirmed(event: Event) -> int:
    return Registration.objects.filter(
        event=event, seat=SeatKind.ONLINE, status=RegistrationStatus.CONFIRMED
    ).count()


def test_two_hundred_members_race_for_fifty_seats() -> None:
    event = EventFactory(online_capacity=50)
    members = _members(200)

    outcomes = _run_all(
        [lambda m=m: register(member=m, event=event, seat=SeatKind.ONLINE) for m in members]
    )

    assert outcomes == ["ok"] * 200
    assert _confirmed(event) == 50
    waitlist = Registration.objects.filter(event=event, status=RegistrationStatus.WAITLISTED)
    assert waitlist.count() == 150
    # In order: everyone confirmed queued before everyone waiting.
    last_confirmed = (
        Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED)
        .order_by("-queued_at", "-id")
        .first()
    )
    first_waiting = waitlist.order_by("queued_at", "id").first()
    assert last_confirmed is not None and first_waiting is not None
    assert (last_confirmed.queued_at, last_confirmed.pk) < (
        first_waiting.queued_at,
        first_waiting.pk,
    )


def test_cancellations_promote_the_waitlist_in_order_without_overfilling() -> None:
    event = EventFactory(online_capacity=20)
    members = _members(60)
    for member in members:
        register(member=member, event=event, seat=SeatKind.ONLINE)
    line = [
        r.member_id
        for r in Registration.objects.filter(
            event=event, status=RegistrationStatus.WAITLISTED
        ).order_by("queued_at", "id")
    ]
    leaving = members[:15]

    outcomes = _run_all([lambda m=m: cancel_registration(member=m, event=event) for m in leaving])

    assert outcomes == ["ok"] * 15
    assert _confirmed(event) == 20
    promoted = set(
        Registration.objects.filter(
            event=event, status=RegistrationStatus.CONFIRMED, member_id__in=line
        ).values_list("member_id", flat=True)
    )
    assert promoted == set(line[:15])


def test_a_hundred_cancel_and_register_races_never_exceed_capacity() -> None:
    event = EventFactory(online_capacity=10)
    members = _members(30)
    for member in members:
        register(member=member, event=event, seat=SeatKind.ONLINE)
    chooser = random.Random(11)
    calls: list[Callable[[], object]] = []
    for _ in range(50):
        member = chooser.choice(members)
        calls.append(lambda m=member: cancel_registration(member=m, event=event))
        calls.append(lambda m=member: register(member=m, event=event, seat=SeatKind.ONLINE))
    chooser.shuffle(calls)

    outcomes = _run_all(calls)

    assert all(outcome == "ok" or "not_registered" in outcome for outcome in outcomes)
    assert _confirmed(event) == 10
    active = Registration.objects.filter(event=event).exclude(status=RegistrationStatus.CANCELLED)
    # With people still waiting, every seat is taken: a freed seat is never left empty.
    assert active.filter(status=RegistrationStatus.WAITLISTED).count() == active.count() - 10
