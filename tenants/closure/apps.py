from django.apps import AppConfig


class ClosureConfig(AppConfig):
    name = "tenants.closure"
    label = "closure"
    verbose_name = "关停上移"

    def ready(self) -> None:
        from tenants.closure import scheduled  # noqa: F401 - registers the archive job
