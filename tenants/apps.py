from django.apps import AppConfig


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = "站点"

    def ready(self) -> None:
        from tenants import scheduled  # noqa: F401 - registers the sites' scheduled jobs
