"""Points and badges for taking part in events: attending pays `event_attended`, speaking pays
`event_spoke` (kizuna.gamification), and the `events_attended_5` and `speaker` badge criteria
are answered here from the events' own rows.

kizuna.events.services records `attended` and `spoke` in the activity stream once per member
and event; the dispatcher queues `recognise_event_activity` for them (registered in
EventsConfig.ready). Each award's key names the event and the member, not the activity, so
the same attendance pays once however many times it is recorded or the task runs. The
badges app imports nothing of events: the criteria are handed to it from ready().
"""

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from kizuna.activity.models import Activity, Verb
from kizuna.badges.criteria import EVENTS_ATTENDED_FOR_BADGE
from kizuna.badges.services import evaluate_badges_for
from kizuna.events.models import Attendance, Event, EventSpeaker, EventStatus, Registration
from kizuna.gamification.models import LedgerEntry, RuleKey
from kizuna.gamification.services import AwardContext, award_points
from kizuna.identity.models import Member

RECOGNISED_VERBS = (Verb.ATTENDED, Verb.SPOKE)


def attended_key(event_id: int, member_id: int) -> str:
    return f"event_attended:{event_id}:{member_id}"


def spoke_key(event_id: int, member_id: int) -> str:
    return f"event_spoke:{event_id}:{member_id}"


def _attended(event: Event, member_id: int) -> Registration | None:
    return Registration.objects.filter(
        event=event, member_id=member_id, attendance=Attendance.ATTENDED
    ).first()


def _talk(event: Event, member_id: int) -> EventSpeaker | None:
    return EventSpeaker.objects.filter(event=event, member_id=member_id).first()


def recognise_activity(*, activity_id: int) -> LedgerEntry | None:
    """Pay what an `attended` or `spoke` activity earns if it still stands (the registration is
    still marked attended, the member still speaks at the event, the event was not
    cancelled), then award the badges it completes; safe to run any number of times."""
    activity = Activity.objects.filter(pk=activity_id, object_type="event").first()
    if (
        activity is None
        or activity.actor_id is None
        or activity.object_id is None
        or activity.verb not in RECOGNISED_VERBS
    ):
        return None
    event = Event.objects.filter(pk=activity.object_id, status=EventStatus.PUBLISHED).first()
    if event is None:
        return None
    member = Member.objects.filter(pk=activity.actor_id, is_active=True).first()
    if member is None:
        return None
    # No activity id on the entry: gamification's stale-award sweep and recompute judge only
    # the awards its own rules plan from activities, and would take these back.
    context = AwardContext(space_id=event.space_id)
    entry: LedgerEntry | None = None
    with transaction.atomic():
        if activity.verb == Verb.ATTENDED:
            registration = _attended(event, member.pk)
            if registration is not None:
                entry = award_points(
                    member=member,
                    rule_key=RuleKey.EVENT_ATTENDED,
                    source=registration,
                    idempotency_key=attended_key(event.pk, member.pk),
                    occurred_at=activity.occurred_at,
                    context=context,
                )
        else:
            talk = _talk(event, member.pk)
            if talk is not None:
                entry = award_points(
                    member=member,
                    rule_key=RuleKey.EVENT_SPOKE,
                    source=talk,
                    idempotency_key=spoke_key(event.pk, member.pk),
                    occurred_at=activity.occurred_at,
                    context=context,
                )
        evaluate_badges_for(member=member)
    return entry


@shared_task(acks_late=True, reject_on_worker_lost=True)
def recognise_event_activity(activity_id: int) -> None:
    """The dispatcher's consumer for `attended` and `spoke`."""
    recognise_activity(activity_id=activity_id)


# ---------------------------------------------------------------- badge criteria


def attended_five_events(member: Member) -> bool:
    """Marked attended at five published events (a cancelled event counts for nobody)."""
    attended = Registration.objects.filter(
        member=member, attendance=Attendance.ATTENDED, event__status=EventStatus.PUBLISHED
    )
    return attended.count() >= EVENTS_ATTENDED_FOR_BADGE


def spoke_at_an_event(member: Member) -> bool:
    """Listed as a speaker of a published event that has taken place."""
    return EventSpeaker.objects.filter(
        member=member, event__status=EventStatus.PUBLISHED, event__starts_at__lte=timezone.now()
    ).exists()
