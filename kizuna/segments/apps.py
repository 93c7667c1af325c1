from django.apps import AppConfig


class SegmentsConfig(AppConfig):
    name = "kizuna.segments"
    label = "segments"
