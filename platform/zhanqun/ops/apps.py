from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Connects the metrics to the platform's events (``tenants.events.site_changed``)."""

    name = "zhanqun.ops"
    label = "zq_ops"

    def ready(self) -> None:
        from zhanqun.ops import signals  # noqa: F401 - connects the receivers (app-loading time, not a cycle)
