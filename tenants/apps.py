from django.apps import AppConfig


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = "站点"

    def ready(self) -> None:
        # The cluster links and primary domains cached per site follow the sites' changes.
        from tenants.events import site_changed
        from tenants.relations import purge_for_change

        site_changed.connect(purge_for_change, dispatch_uid="tenants.relations.purge")
