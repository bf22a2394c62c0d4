from django.apps import AppConfig


class SharedLibraryConfig(AppConfig):
    name = "shared_library"
    verbose_name = "统一信息资源库"

    def ready(self) -> None:
        from shared_library import signals  # noqa: F401 - connects the receivers
