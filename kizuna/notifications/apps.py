from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "kizuna.notifications"
    label = "notifications"

    def ready(self) -> None:
        from kizuna.activity.dispatch import register_consumer
        from kizuna.notifications.tasks import FAN_OUT_VERBS, fan_out_activity

        register_consumer(fan_out_activity, verbs=FAN_OUT_VERBS)
