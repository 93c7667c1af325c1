from django.apps import AppConfig


class CohortsConfig(AppConfig):
    name = "kizuna.cohorts"
    label = "cohorts"
