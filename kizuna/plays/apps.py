from django.apps import AppConfig


class PlaysConfig(AppConfig):
    name = "kizuna.plays"
    label = "plays"
