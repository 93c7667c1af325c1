from django.apps import AppConfig


class GamificationConfig(AppConfig):
    name = "kizuna.gamification"
    label = "gamification"
