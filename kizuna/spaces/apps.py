from django.apps import AppConfig


class SpacesConfig(AppConfig):
    name = "kizuna.spaces"
    label = "spaces"
