from django.apps import AppConfig


class SuccessConfig(AppConfig):
    name = "kizuna.success"
    label = "success"
