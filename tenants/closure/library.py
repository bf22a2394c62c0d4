"""X's part of the unified library moves to P: its contributions and what was syndicated into it.

Contributions are re-attributed to P keeping "originally from X" (``Resource.origin_site_name``,
shown in the source label). Syndications into X are given to P in the column that now holds X's
column (the section's sub-column, or P's own column), so P lists each resource once per column;
X's own syndication rows stay as they were (a restored archive finds them), and a syndication P
already had is not duplicated (nor removed by a rollback).
"""

from __future__ import annotations

from django.db import transaction

from shared_library.models import Resource, Syndication
from shared_library.services import reattribute
from tenants.closure import ledger
from tenants.closure.mapping import Mapping, p_column_slug
from tenants.closure.models import Closure

REATTRIBUTE = "closure"  # the library's version entry for a provenance change by a closure


def reattribute_resources(closure: Closure, ids: list[int], *, by: str) -> int:
    """Re-attribute one batch of X's contributions to P (one transaction with its ledger rows)."""
    rows = []
    with transaction.atomic():
        for resource in (
            Resource.objects.select_for_update(of=("self",)).filter(pk__in=ids).select_related("source_site")
        ):
            previous = {"source_site_id": resource.source_site_id, "origin_site_name": resource.origin_site_name}
            if resource.source_site_id == closure.site_id:
                origin = resource.origin_site_name or closure.site.name  # X's own earlier absorptions keep theirs
                reattribute(resource, closure.target, origin_site_name=origin, by=by, action=REATTRIBUTE)
            rows.append((resource.pk, closure.target_id, previous))
        ledger.write(closure, "resource", rows)
    return len(rows)


def follow_syndications(closure: Closure, rows: list[tuple[int, int, str]], mapping: Mapping, *, by: str) -> int:
    """Give P one batch of X's syndications ((id, resource id, X column slug) rows)."""
    written = []
    with transaction.atomic():
        for syndication_id, resource_id, column_slug in rows:
            slug = p_column_slug(mapping, column_slug)
            existing = Syndication.objects.filter(
                resource_id=resource_id, site=closure.target, column_slug=slug
            ).first()
            if existing is None:
                made = Syndication.objects.create(
                    resource_id=resource_id, site=closure.target, column_slug=slug, created_by=by
                )
                written.append((syndication_id, made.pk, {"column_slug": slug, "created": True}))
            else:
                written.append((syndication_id, existing.pk, {"column_slug": slug, "created": False}))
        ledger.write(closure, "syndication", written)
    return len(written)
