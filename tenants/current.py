"""Which site the database connection is working in, for receivers of signals sent from a schema.

Wagtail's signals (a page published, a Wagtail site saved) carry no site: they are sent in the
site's schema. In a request the connection's tenant is the ``Site`` row itself; in a
``schema_context`` (commands, tests, the closure's copier) it is a stand-in with the schema name only.
"""

from __future__ import annotations

from django.db import connection
from django_tenants.utils import get_public_schema_name, schema_context

from tenants.models import Site


def current_site_id() -> int | None:
    """The id of the site whose schema the connection is on; None in the public schema."""
    schema = connection.schema_name
    if not schema or schema == get_public_schema_name():
        return None
    tenant = connection.tenant
    if isinstance(tenant, Site) and tenant.schema_name == schema:
        return tenant.pk
    with schema_context(get_public_schema_name()):
        return Site.objects.filter(schema_name=schema).values_list("pk", flat=True).first()
