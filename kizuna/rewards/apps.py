from django.apps import AppConfig


class RewardsConfig(AppConfig):
    name = "kizuna.rewards"
    label = "rewards"
