"""Per-site numbers for the console (pages, last update, pending reviews), kept in ``SiteStats``.

Computed inside the site's own schema (three cheap queries) and written to the public table, so
the site list and dashboard read one joined row per site instead of visiting every schema.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import connection
from django.db.models import Max
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, schema_context
from wagtail.models import Page, WorkflowState

from console.models import SiteStats
from tenants.models import Site


def _measure(exclude_page_id: int | None = None) -> dict:
    """The current schema's numbers. ``exclude_page_id``: a page being unpublished or deleted right
    now (Wagtail signals before the row is gone), which must no longer count."""
    live = Page.objects.live().filter(depth__gt=1)
    if exclude_page_id:
        live = live.exclude(pk=exclude_page_id)
    return {
        "page_count": live.count(),
        "last_published_at": live.aggregate(latest=Max("last_published_at"))["latest"],
        "pending_reviews": WorkflowState.objects.filter(status=WorkflowState.STATUS_IN_PROGRESS).count(),
    }


def _store(site_id: int, numbers: dict) -> SiteStats:
    stats, _created = SiteStats.objects.update_or_create(
        site_id=site_id, defaults={**numbers, "refreshed_at": timezone.now()}
    )
    return stats


def refresh_current_schema(exclude_page_id: int | None = None) -> SiteStats | None:
    """Refresh the row of the site whose schema is active (nothing on the platform's own schema)."""
    schema_name = connection.schema_name
    if schema_name == get_public_schema_name():
        return None
    site_id = Site.objects.filter(schema_name=schema_name).values_list("pk", flat=True).first()
    if site_id is None:  # a schema being provisioned or archived
        return None
    return _store(site_id, _measure(exclude_page_id))


def refresh_site(site: Site) -> SiteStats:
    with schema_context(site.schema_name):
        numbers = _measure()
    return _store(site.pk, numbers)


def sites_with_schemas() -> Iterable[Site]:
    """Every real site whose schema still exists (an archived closure drops its schema)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace")
        schemas = {row[0] for row in cursor.fetchall()}
    for site in Site.objects.exclude(schema_name=get_public_schema_name()).order_by("pk"):
        if site.schema_name in schemas:
            yield site


def refresh_all(sites: Iterable[Site] | None = None, on_site: Callable[[Site], None] = lambda site: None) -> int:
    count = 0
    for site in sites if sites is not None else sites_with_schemas():
        refresh_site(site)
        on_site(site)
        count += 1
    connection.set_schema_to_public()
    return count
