from django.apps import AppConfig


class RewardsConfig(AppConfig):
    name = "kizuna.rewards"
    label = "rewards"

    def ready(self) -> None:
        from kizuna.notifications.recognition import register_missed_notice_sweep
        from kizuna.rewards.notices import notify_missed_redemption_decisions

        register_missed_notice_sweep(notify_missed_redemption_decisions)
