from django.apps import AppConfig


class GamificationConfig(AppConfig):
    name = "kizuna.gamification"
    label = "gamification"

    def ready(self) -> None:
        from kizuna.activity.dispatch import register_consumer
        from kizuna.gamification.rules import EARNING_VERBS
        from kizuna.gamification.tasks import award_for_activity

        register_consumer(award_for_activity, verbs=EARNING_VERBS)
