from django.apps import AppConfig


class BadgesConfig(AppConfig):
    name = "kizuna.badges"
    label = "badges"

    def ready(self) -> None:
        from kizuna.badges.notices import notify_missed_badges
        from kizuna.notifications.recognition import register_missed_notice_sweep

        register_missed_notice_sweep(notify_missed_badges)
