from django.apps import AppConfig


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = "站点"

    def ready(self) -> None:
        # Receivers and the per-schema content-type cache need the app registry: imported here.
        from tenants import contenttype_cache, routing_receivers  # noqa: F401
        from tenants.pagecache import receivers  # noqa: F401

        contenttype_cache.install()
