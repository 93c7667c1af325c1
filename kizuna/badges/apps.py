from django.apps import AppConfig


class BadgesConfig(AppConfig):
    name = "kizuna.badges"
    label = "badges"
