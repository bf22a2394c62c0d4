"""How a site lists library resources next to its own pages (columns, feeds, LibraryListPage).

Resources are read live from the public tables for the current site, so nothing is copied into a
site and an edit or withdrawal shows everywhere on the next request.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import connection
from django.db.models import F, QuerySet, Window
from django.db.models.functions import RowNumber

from shared_library.models import Resource, Syndication


@dataclass(frozen=True)
class LibraryItem:
    """What a list needs of a resource: enough to render a row without touching its page logic."""

    pk: int
    title: str
    url: str
    publish_date: datetime.date
    source: str
    summary: str = ""
    index_number: str = ""
    is_library_item: bool = True

    @classmethod
    def from_resource(cls, resource: Resource) -> LibraryItem:
        return cls(
            pk=resource.pk,
            title=resource.title,
            url=resource.get_path(),
            publish_date=resource.publish_date,
            source=resource.source_label,
            summary=resource.summary,
            index_number=resource.index_number,
        )


def current_site():
    return getattr(connection, "tenant", None)


def syndicated_resources(site=None, column_slug: str | None = None) -> QuerySet[Resource]:
    """Public resources (published, not 不予公开) syndicated to ``site`` (the current one by default),
    optionally into one column, newest first."""
    site = site or current_site()
    filters = {"syndications__site": site}
    if column_slug:
        filters["syndications__column_slug"] = column_slug
    queryset = Resource.objects.public().filter(**filters).select_related("source_site")
    if not column_slug:
        queryset = queryset.distinct()
    return queryset.order_by("-publish_date", "-pk")


class MergedListing:
    """Pages and library items merged by date, sliceable and countable so Django's Paginator can
    page it without loading either side in full (each page reads at most ``stop`` rows per side)."""

    def __init__(self, pages: QuerySet, resources: QuerySet[Resource]) -> None:
        self.pages = pages
        self.resources = resources

    def count(self) -> int:
        return self.pages.count() + self.resources.count()

    def __len__(self) -> int:
        return self.count()

    def _merged(self, stop: int | None) -> list:
        pages = list(self.pages[:stop] if stop is not None else self.pages)
        resources = self.resources[:stop] if stop is not None else self.resources
        items = pages + [LibraryItem.from_resource(resource) for resource in resources]
        return sorted(items, key=lambda item: item.publish_date, reverse=True)

    def __getitem__(self, key):
        if isinstance(key, slice):
            return self._merged(key.stop)[key]
        return self._merged(key + 1)[key]

    def __iter__(self):
        return iter(self._merged(None))


def column_listing(pages: QuerySet, column_slug: str, site=None) -> MergedListing:
    """A column's own articles merged with what was syndicated into it."""
    return MergedListing(pages, syndicated_resources(site, column_slug))


def latest_syndicated_by_column(column_slugs: list[str], limit: int, site=None) -> dict[str, list[LibraryItem]]:
    """The newest ``limit`` public resources syndicated into each of ``column_slugs`` of ``site``, in
    one query whatever the number of columns (the home page shows every column's latest items)."""
    site = site or current_site()
    if not column_slugs or getattr(site, "pk", None) is None:  # no site, or a bare schema context
        return {}
    rows = (
        Syndication.objects.filter(site=site, column_slug__in=column_slugs, resource__in=Resource.objects.public())
        .select_related("resource__source_site")
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=F("column_slug"),
                order_by=[F("resource__publish_date").desc(), F("resource_id").desc()],
            )
        )
        .filter(rank__lte=limit)
        .order_by("column_slug", "rank")
    )
    listed: dict[str, list[LibraryItem]] = {}
    for row in rows:
        listed.setdefault(row.column_slug, []).append(LibraryItem.from_resource(row.resource))
    return listed
