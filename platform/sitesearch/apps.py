from django.apps import AppConfig


class SiteSearchConfig(AppConfig):
    name = "sitesearch"
    verbose_name = "站内搜索"

    def ready(self) -> None:
        from sitesearch import receivers  # noqa: F401 - connects the index receivers
