from django.apps import AppConfig


class ClosureConfig(AppConfig):
    name = "tenants.closure"
    label = "closure"
    verbose_name = "关停上移"
