"""django-tenants' backend with two costs removed from every request.

1. ``SET search_path``. django-tenants forgets which path the connection holds whenever a tenant is
   selected (twice per request: public for the host lookup, then the site), and without
   ``TENANT_LIMIT_SET_CALLS`` it even re-issues the SET before every statement (14 of an article
   page's 28). Here the path actually applied to the session is remembered and the SET is sent only
   when the wanted path differs. The base class already forgets it whenever PostgreSQL could have
   discarded it (rollback, savepoint rollback, close), so a path is never assumed wrongly.
2. Content types. django-tenants clears Django's content-type cache on every tenant switch, because
   ids differ between the public schema and site schemas; so every request refetched them. The cache
   is made per schema instead (``tenants.contenttype_cache``, installed by ``tenants.apps``) and the
   clear is dropped.
"""

from __future__ import annotations

from django_tenants.postgresql_backend import base as tenant_backend


class DatabaseWrapper(tenant_backend.DatabaseWrapper):
    def set_tenant(self, tenant, include_public=True):
        """Select ``tenant``'s schema for the next statements; no SQL is sent here."""
        self.tenant = tenant
        self.schema_name = tenant.schema_name
        self.include_public_schema = include_public
        self.set_settings_schema(self.schema_name)
        if tenant_backend.EXTRA_SET_TENANT_METHOD:
            tenant_backend.EXTRA_SET_TENANT_METHOD(self, tenant)

    def _handle_search_path(self, cursor=None):
        """Send ``SET search_path`` only if the session does not already hold the wanted path."""
        if not self._setting_search_path and self.schema_name and self.search_path_set_schemas is not None:
            if self.search_path_set_schemas == self._get_cursor_search_paths():
                return
        super()._handle_search_path(cursor)
