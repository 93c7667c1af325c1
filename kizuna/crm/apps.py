from django.apps import AppConfig


class CrmConfig(AppConfig):
    name = "kizuna.crm"
    label = "crm"
