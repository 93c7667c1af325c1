"""Events (S5): online, offline and hybrid meetings of a space, with seats, a waitlist and
attendance.

An event is seen by whoever may read its space's content (kizuna.spaces.permissions). Seats
are counted from the registrations under a row lock on the event (kizuna.events.services), so
no counter can drift from the rows it counts. The waitlist of a seat kind is its waitlisted
registrations in `queued_at` order; a check-in QR code signs the registration's id with
django.core.signing, so no secret is stored here.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class EventFormat(models.TextChoices):
    ONLINE = "online", pgettext_lazy("event format", "Online")
    OFFLINE = "offline", pgettext_lazy("event format", "In person")
    HYBRID = "hybrid", pgettext_lazy("event format", "Hybrid")


class EventStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("event status", "Draft")
    PUBLISHED = "published", pgettext_lazy("event status", "Published")
    CANCELLED = "cancelled", pgettext_lazy("event status", "Cancelled")


class SeatKind(models.TextChoices):
    ONLINE = "online", pgettext_lazy("seat kind", "Online")
    IN_PERSON = "in_person", pgettext_lazy("seat kind", "In person")


# The seat kinds each format offers; a hybrid event's in-person seats are its premium ones.
SEATS_OF_FORMAT: dict[str, tuple[SeatKind, ...]] = {
    EventFormat.ONLINE: (SeatKind.ONLINE,),
    EventFormat.OFFLINE: (SeatKind.IN_PERSON,),
    EventFormat.HYBRID: (SeatKind.ONLINE, SeatKind.IN_PERSON),
}


class Event(models.Model):
    space = models.ForeignKey(
        "spaces.Space", on_delete=models.PROTECT, related_name="events", verbose_name=_("space")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=20000, blank=True)
    # Rendered and sanitised when saved (kizuna.content.markdown); never rendered per request.
    description_html = models.TextField(blank=True)
    format = models.CharField(
        _("format"), max_length=8, choices=EventFormat.choices, default=EventFormat.ONLINE
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    # The zone the organisers plan in: calendar files carry it; pages show the member's own zone.
    time_zone = models.CharField(_("time zone"), max_length=64, default="Asia/Tokyo")
    online_capacity = models.PositiveIntegerField(_("online seats"), default=0)
    in_person_capacity = models.PositiveIntegerField(_("in-person seats"), default=0)
    venue_name = models.CharField(_("venue"), max_length=200, blank=True)
    venue_address = models.CharField(_("venue address"), max_length=300, blank=True)
    map_url = models.URLField(_("map link"), max_length=500, blank=True)
    # Shown only to confirmed registrants (kizuna.events.permissions.can_see_online_url).
    online_url = models.URLField(_("online meeting link"), max_length=500, blank=True)
    # Challenge tags are the members' own Interest rows, so an invitation by challenge and
    # "events that match my challenges" compare like with like.
    tags = models.ManyToManyField(
        "identity.Interest", blank=True, related_name="events", verbose_name=_("challenge tags")
    )
    target_level = models.ForeignKey(
        "gamification.Level",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("target level"),
    )
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="facilitated_events",
        verbose_name=_("facilitator"),
    )
    status = models.CharField(max_length=10, choices=EventStatus.choices, default=EventStatus.DRAFT)
    # [{"label": str, "required": bool}, ...]; answers are stored by position on the registration.
    registration_questions = models.JSONField(default=list, blank=True)
    # The thread in the event's space where the conversation goes on after the event.
    discussion_post = models.ForeignKey(
        "content.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "starts_at"], name="event_status_start"),
            models.Index(fields=["space", "starts_at"], name="event_space_start"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def seat_kinds(self) -> tuple[SeatKind, ...]:
        return SEATS_OF_FORMAT[self.format]

    def capacity_of(self, seat: str) -> int:
        if seat not in self.seat_kinds:
            return 0
        return self.online_capacity if seat == SeatKind.ONLINE else self.in_person_capacity

    @property
    def is_published(self) -> bool:
        return self.status == EventStatus.PUBLISHED


class SpeakerKind(models.TextChoices):
    MEMBER = "member", pgettext_lazy("speaker kind", "Member")
    LEADER = "leader", pgettext_lazy("speaker kind", "Community leader")
    EXTERNAL = "external", pgettext_lazy("speaker kind", "External expert")


class EventSpeaker(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="speakers")
    # A member speaker's name comes from the profile; an external expert has only the fields.
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="event_talks",
        verbose_name=_("member"),
    )
    name = models.CharField(_("name"), max_length=120, blank=True)
    job_title = models.CharField(_("job title"), max_length=120, blank=True)
    company = models.CharField(_("company"), max_length=120, blank=True)
    kind = models.CharField(
        _("kind"), max_length=10, choices=SpeakerKind.choices, default=SpeakerKind.MEMBER
    )
    talk_title = models.CharField(_("talk title"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["event", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(member__isnull=False) | ~Q(name=""), name="event_speaker_named"
            ),
            models.UniqueConstraint(
                fields=["event", "member"],
                condition=Q(member__isnull=False),
                name="event_speaker_member_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event_id}: {self.name or self.member_id}"


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", pgettext_lazy("registration status", "Confirmed")
    WAITLISTED = "waitlisted", pgettext_lazy("registration status", "On the waitlist")
    CANCELLED = "cancelled", pgettext_lazy("registration status", "Cancelled")


class Attendance(models.TextChoices):
    UNKNOWN = "unknown", pgettext_lazy("attendance", "Not recorded")
    ATTENDED = "attended", pgettext_lazy("attendance", "Attended")
    NO_SHOW = "no_show", pgettext_lazy("attendance", "No-show")


class Registration(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_registrations"
    )
    seat = models.CharField(_("seat"), max_length=10, choices=SeatKind.choices)
    status = models.CharField(max_length=10, choices=RegistrationStatus.choices)
    # The waitlist order; reset when a cancelled registration registers again.
    queued_at = models.DateTimeField()
    # {"0": "answer to the first question", ...}, keyed by the question's position.
    answers = models.JSONField(default=dict, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    attendance = models.CharField(
        max_length=8, choices=Attendance.choices, default=Attendance.UNKNOWN
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["queued_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "member"], name="event_registration_once"),
        ]
        indexes = [
            models.Index(
                fields=["event", "seat", "status", "queued_at"], name="event_registration_queue"
            ),
            models.Index(fields=["member", "status"], name="event_registration_member"),
        ]

    def __str__(self) -> str:
        return f"{self.event_id}: {self.member_id} ({self.status})"

    @property
    def is_confirmed(self) -> bool:
        return self.status == RegistrationStatus.CONFIRMED

    @property
    def is_waitlisted(self) -> bool:
        return self.status == RegistrationStatus.WAITLISTED


class MaterialKind(models.TextChoices):
    SLIDES = "slides", pgettext_lazy("event material", "Slides")
    RECORDING = "recording", pgettext_lazy("event material", "Recording")
    OTHER = "other", pgettext_lazy("event material", "Other")


class EventMaterial(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=10, choices=MaterialKind.choices, default=MaterialKind.SLIDES
    )
    url = models.URLField(_("link"), max_length=500, blank=True)
    file = models.FileField(_("file"), upload_to="event_materials/", blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["event", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(url="") | ~Q(file=""), name="event_material_has_link_or_file"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class CalendarFeed(models.Model):
    """A member's secret calendar address: its token is the only credential a calendar app
    sends, so regenerating it is how a member revokes an address they shared by mistake."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"calendar feed of {self.member_id}"


class ReminderKind(models.TextChoices):
    DAY_BEFORE = "24h", pgettext_lazy("event reminder", "A day before")
    HOUR_BEFORE = "1h", pgettext_lazy("event reminder", "An hour before")


class EventReminder(models.Model):
    """The marker that one reminder of a registration was emailed, so a beat run, a retried task
    or a second worker never sends it twice (kizuna.events.reminders)."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(max_length=4, choices=ReminderKind.choices)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "kind"], name="event_reminder_once_per_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.registration_id}: {self.kind}"


class NoticeKind(models.TextChoices):
    PROMOTED = "promoted", pgettext_lazy("event notice", "Seat confirmed from the waitlist")
    CANCELLED = "cancelled", pgettext_lazy("event notice", "Event cancelled")


class EventNotice(models.Model):
    """The marker that a registrant was emailed about a change to their registration, so a
    retried task or a second worker sends it once (kizuna.events.notices).

    `about` is the moment the notice is for (the seat's confirmation, the event's
    cancellation): a member promoted, who cancels, queues again and is promoted again gets a
    second notice, never two for the same promotion.
    """

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=10, choices=NoticeKind.choices)
    about = models.DateTimeField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "kind", "about"], name="event_notice_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.registration_id}: {self.kind} {self.about:%Y-%m-%d %H:%M}"


# Registers the follow-up models (surveys, connections, invitations) with this app.
from kizuna.events.followup_models import (  # noqa: E402, F401
    ConnectionRequest,
    ConnectOptIn,
    EventInvitation,
    SurveyResponse,
)
