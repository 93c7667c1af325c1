from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "kizuna.events"
    label = "events"

    def ready(self) -> None:
        from kizuna.activity.dispatch import register_consumer
        from kizuna.badges.criteria import register_criterion
        from kizuna.events.recognition import (
            RECOGNISED_VERBS,
            attended_five_events,
            recognise_event_activity,
            spoke_at_an_event,
        )

        register_consumer(recognise_event_activity, verbs=RECOGNISED_VERBS)
        register_criterion("events_attended_5", attended_five_events)
        register_criterion("speaker", spoke_at_an_event)
