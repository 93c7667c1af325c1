from django.apps import AppConfig


class AmbassadorsConfig(AppConfig):
    name = "kizuna.ambassadors"
    label = "ambassadors"
