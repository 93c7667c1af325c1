from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "kizuna.moderation"
    label = "moderation"
