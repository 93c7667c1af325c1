from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "kizuna.content"
    label = "content"
