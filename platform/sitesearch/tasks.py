"""The index's background jobs. Plain django-tasks functions with JSON arguments: each names the
schema it works on and enters it itself, so any worker, on any connection, indexes the right site."""

from __future__ import annotations

from django_tasks import task

from sitesearch import indexing
from tenants.closure.models import Closure
from tenants.models import Site


@task()
def index_pages(schema_name: str, page_ids: list[int]) -> None:
    indexing.index_pages(schema_name, page_ids)


@task()
def index_resources(resource_ids: list[int]) -> None:
    indexing.index_resources(resource_ids)


@task()
def reindex_site(schema_name: str) -> None:
    indexing.reindex_site(schema_name)


@task()
def site_changed(site_id: int, change: str) -> None:
    """Follow a site's life: hidden while suspended or closed, back on resume or roll-back; after a
    closure the parent that absorbed the pages is indexed again (the moved articles at their new URL)."""
    site = Site.objects.filter(pk=site_id).first()
    if site is None:
        return
    if change in ("suspended", "closed", "archived"):
        indexing.remove_site(site.schema_name)
    if change in ("created", "resumed", "reopened"):  # created: also a closed site's archive restored
        indexing.reindex_site(site.schema_name)
    if change in ("closed", "reopened"):
        closure = Closure.objects.filter(site=site).order_by("-pk").first()
        if closure is not None:
            indexing.reindex_site(closure.target.schema_name)
    if change in ("suspended", "resumed", "closed", "reopened", "archived"):
        indexing.index_resources(indexing.resources_shown_on(site_id))
