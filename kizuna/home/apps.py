from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "kizuna.home"
    label = "home"
