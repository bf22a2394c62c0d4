"""Bringing the index in line with the content. Each function is safe to run again (upserts and
deletes by key) and enters the schema it is given: a task may run anywhere, on any connection."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django_tenants.utils import schema_context
from wagtail.models import Page

from shared_library.models import Resource, Syndication
from sitesearch import engine
from sitesearch.documents import (
    PAGE_MODEL,
    RESOURCE_MODEL,
    SERVING,
    page_document,
    resource_document,
    serving_site_ids,
)
from tenants.models import Site

BATCH = 200
Progress = Callable[[int], None]


def _site(schema_name: str) -> Site | None:
    return Site.objects.filter(schema_name=schema_name).first()


def index_pages(schema_name: str, page_ids: Iterable[int]) -> None:
    """Index, update or remove these pages of one site, whatever schema the connection is on."""
    page_ids = list(page_ids)
    site = _site(schema_name)
    if site is None:
        engine.delete(schema_name, PAGE_MODEL, page_ids)
        return
    with schema_context(schema_name):
        found = {page.pk: page for page in Page.objects.filter(pk__in=page_ids).specific()}
        documents = [document for page in found.values() if (document := page_document(page, site))]
    engine.upsert(documents)
    indexed = {document.object_id for document in documents}
    engine.delete(schema_name, PAGE_MODEL, [pk for pk in page_ids if pk not in indexed])


def reindex_site(schema_name: str, progress: Progress | None = None) -> int:
    """Every page of one site again (after a resume, a closure, a dictionary change). Returns the count."""
    site = _site(schema_name)
    engine.delete_site(schema_name)
    if site is None or site.status not in SERVING:
        return 0
    done = 0
    with schema_context(schema_name):
        ids = list(Page.objects.live().filter(depth__gt=2).order_by("path").values_list("pk", flat=True))
        for start in range(0, len(ids), BATCH):
            chunk = ids[start : start + BATCH]
            pages = Page.objects.filter(pk__in=chunk).specific()
            documents = [document for page in pages if (document := page_document(page, site))]
            engine.upsert(documents)
            done += len(documents)
            if progress:
                progress(len(chunk))
    return done


def page_count(schema_name: str) -> int:
    with schema_context(schema_name):
        return Page.objects.live().filter(depth__gt=2).count()


def index_resources(resource_ids: Iterable[int], progress: Progress | None = None) -> None:
    """Index, update or remove library resources (one row each, site 0, with the sites showing it)."""
    resource_ids = list(resource_ids)
    serving = serving_site_ids()
    for start in range(0, len(resource_ids), BATCH):
        chunk = resource_ids[start : start + BATCH]
        resources = Resource.objects.filter(pk__in=chunk).select_related("genre", "topic")
        documents = [document for resource in resources if (document := resource_document(resource, serving))]
        engine.upsert(documents)
        indexed = {document.object_id for document in documents}
        engine.delete("public", RESOURCE_MODEL, [pk for pk in chunk if pk not in indexed])
        if progress:
            progress(len(chunk))


def reindex_library(progress: Progress | None = None) -> int:
    ids = list(Resource.objects.order_by("pk").values_list("pk", flat=True))
    index_resources(ids, progress)
    return len(ids)


def resource_total() -> int:
    return Resource.objects.count()


def resources_shown_on(site_id: int) -> list[int]:
    syndicated = set(Syndication.objects.filter(site_id=site_id).values_list("resource_id", flat=True))
    contributed = set(Resource.objects.filter(source_site_id=site_id).values_list("pk", flat=True))
    return sorted(syndicated | contributed)


def remove_site(schema_name: str) -> None:
    """A suspended, closed or archived site: its pages leave the index (library rows are recomputed)."""
    engine.delete_site(schema_name)

