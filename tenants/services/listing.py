"""What /banshi/ lists: the site's live service guides and the items of its service column(s)."""

from __future__ import annotations

from tenants.content.models import ColumnKind, ColumnPage
from tenants.services.models import ServiceGuidePage


def service_listing() -> dict:
    """Runs in the current site's schema (routing has set it)."""
    guides = ServiceGuidePage.objects.live().public().order_by("title")
    columns = ColumnPage.objects.live().public().filter(kind=ColumnKind.SERVICE)
    return {
        "guides": guides,
        "columns": [(column, list(column.column_items()[:20])) for column in columns],
    }
