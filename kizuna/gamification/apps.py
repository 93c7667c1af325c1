from django.apps import AppConfig


class GamificationConfig(AppConfig):
    name = "kizuna.gamification"
    label = "gamification"

    def ready(self) -> None:
        from kizuna.activity.dispatch import register_consumer
        from kizuna.gamification.notices import notify_missed_level_ups
        from kizuna.gamification.rules import EARNING_VERBS
        from kizuna.gamification.tasks import award_for_activity
        from kizuna.notifications.recognition import register_missed_notice_sweep

        register_consumer(award_for_activity, verbs=EARNING_VERBS)
        register_missed_notice_sweep(notify_missed_level_ups)
