from django.apps import AppConfig


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = "站点"

    def ready(self) -> None:
        # Receivers and the per-schema content-type cache need the app registry: imported here.
        from tenants import (  # noqa: F401
            contenttype_cache,
            routing_receivers,
            scheduled,  # noqa: F401 - registers the sites' scheduled jobs
        )
        from tenants.events import site_changed
        from tenants.pagecache import receivers  # noqa: F401
        from tenants.relations import purge_for_change

        contenttype_cache.install()
        # The cluster links and primary domains cached per site follow the sites' changes.
        site_changed.connect(purge_for_change, dispatch_uid="tenants.relations.purge")
