from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    name = "console"
    verbose_name = "平台控制台"

    def ready(self) -> None:
        from console import receivers  # noqa: F401
