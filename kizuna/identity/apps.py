from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "kizuna.identity"
    label = "identity"
