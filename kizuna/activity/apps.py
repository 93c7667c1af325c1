from django.apps import AppConfig


class ActivityConfig(AppConfig):
    name = "kizuna.activity"
    label = "activity"
