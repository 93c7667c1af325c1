from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "kizuna.directory"
    label = "directory"
