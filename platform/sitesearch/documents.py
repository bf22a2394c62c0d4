"""What is searchable, and what the index keeps of it: the one place that decides.

Found: live pages without view restrictions of a site that is serving (active, or in its closure
notice period), and published library resources that are not 不予公开 and are shown on at least one
serving site. Never found: drafts, unpublished or private pages, withdrawn resources, 不予公开,
suspended or closed sites (their rows are removed; they come back on resume or roll-back).
"""

from __future__ import annotations

import html
import re

from django.db import connection
from django.utils.html import strip_tags
from wagtail.models import Page
from wagtail.search import index

from shared_library.models import Resource, ResourceKind, Syndication
from sitesearch.engine import IndexDocument
from sitesearch.models import LIBRARY_SITE_ID
from tenants.content.models import ColumnKind, ColumnPage, HomePage
from tenants.models import Site, SiteStatus

PAGE_MODEL = "wagtailcore.page"  # pages are keyed by (schema, page id) whatever their type
RESOURCE_MODEL = "shared_library.resource"
SERVING = (SiteStatus.ACTIVE, SiteStatus.CLOSING)
# Plain text kept per document for snippets (the tsvector covers the whole text).
MAX_TEXT_CHARS = 20_000

# A library resource's kind stands for the column kind a page would be in (for the same filter).
RESOURCE_COLUMN_KIND = {
    ResourceKind.ARTICLE: ColumnKind.NEWS,
    ResourceKind.POLICY: ColumnKind.POLICY,
    ResourceKind.INTERPRETATION: ColumnKind.INTERPRETATION,
    ResourceKind.NOTICE: ColumnKind.NOTICES,
    ResourceKind.FILE: ColumnKind.DISCLOSURE,
    ResourceKind.IMAGE: ColumnKind.GENERAL,
}

_SPACES = re.compile(r"\s+")


def plain_text(value: object) -> str:
    """Rich text or any field value as one line of plain text (a search field of rich text gives a
    list of its searchable pieces)."""
    if isinstance(value, (list, tuple)):
        return " ".join(plain_text(item) for item in value)
    text = html.unescape(strip_tags(str(value or "")))
    return _SPACES.sub(" ", text).strip()


def serving_site_ids() -> set[int]:
    return set(Site.objects.filter(status__in=SERVING).exclude(kind="platform").values_list("pk", flat=True))


def current_site() -> Site | None:
    return Site.objects.filter(schema_name=connection.schema_name).first()


# --- pages -----------------------------------------------------------------------------------


def _page_text(page: Page) -> str:
    """Every searchable field but the title (the page type's own ``search_fields``, as Wagtail's admin
    search uses them: one list per page type)."""
    parts = []
    for field in page.get_search_fields():
        if isinstance(field, index.SearchField) and field.field_name != "title":
            parts.append(plain_text(field.get_value(page)))
    return " ".join(part for part in parts if part)


def _column_of(page: Page) -> ColumnPage | None:
    if isinstance(page, ColumnPage):
        return page
    return ColumnPage.objects.ancestor_of(page).order_by("-depth").first()


def page_is_searchable(page: Page) -> bool:
    if not page.live or isinstance(page, HomePage) or page.depth <= 2:
        return False
    return not page.get_view_restrictions().exists()


def page_document(page: Page, site: Site) -> IndexDocument | None:
    """The index row of a page of ``site`` (the current schema), or None when it must not be found."""
    if site.status not in SERVING or not page_is_searchable(page):
        return None
    parts = page.get_url_parts()
    if parts is None:
        return None
    column = _column_of(page)
    date = getattr(page, "publish_date", None) or (
        page.first_published_at.date() if page.first_published_at else None
    )
    return IndexDocument(
        schema_name=site.schema_name,
        site_id=site.pk,
        site_ids=[site.pk],
        model=PAGE_MODEL,
        object_id=page.pk,
        url=parts[2],
        title=page.title,
        text=_page_text(page)[:MAX_TEXT_CHARS],
        column_title=column.title if column else "",
        column_kind=column.kind if column else "",
        publish_date=date,
    )


# --- library resources -------------------------------------------------------------------------


def resource_site_ids(resource: Resource, serving: set[int]) -> list[int]:
    """Serving sites showing the resource: its contributor first (the cluster search links there),
    then every syndication target."""
    targets = set(Syndication.objects.filter(resource=resource).values_list("site_id", flat=True)) & serving
    source = resource.source_site_id if resource.source_site_id in serving else None
    return ([source] if source else []) + sorted(targets - {source})


def resource_document(resource: Resource, serving: set[int]) -> IndexDocument | None:
    if not Resource.objects.public().filter(pk=resource.pk).exists():
        return None
    site_ids = resource_site_ids(resource, serving)
    if not site_ids:
        return None
    text = " ".join(part for part in (resource.summary, plain_text(resource.body), resource.issuing_body) if part)
    return IndexDocument(
        schema_name="public",
        site_id=LIBRARY_SITE_ID,
        site_ids=site_ids,
        model=RESOURCE_MODEL,
        object_id=resource.pk,
        url=resource.get_path(),
        title=resource.title,
        text=text[:MAX_TEXT_CHARS],
        column_title=str(resource.get_kind_display()),
        column_kind=RESOURCE_COLUMN_KIND.get(resource.kind, ""),
        genre=resource.genre.code if resource.genre_id else "",
        topic=resource.topic.code if resource.topic_id else "",
        publish_date=resource.publish_date,
        index_number=resource.index_number,
        document_number=resource.document_number,
    )
