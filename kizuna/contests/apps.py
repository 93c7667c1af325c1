from django.apps import AppConfig


class ContestsConfig(AppConfig):
    name = "kizuna.contests"
    label = "contests"
