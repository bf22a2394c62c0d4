"""Every URL X serves, and where it goes on P: the rows of ``ClosureUrl``.

Paths are decoded, as Django's ``request.path`` gives them; new URLs are absolute IRIs on P (the
redirect encodes them). Built twice: by the plan, from the placements it promises (a document's new
id is not known yet, so its new URL is left blank until execute), and by execute at its end, from
what was really created, so the redirects always match P.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from tenants.closure.inventory import Inventory
from tenants.closure.mapping import Mapping, feed_slug, p_column_slug
from tenants.closure.models import UrlKind

PAGE_SIZE = 20  # ColumnPage.get_context pages its list by 20


@dataclass
class UrlRow:
    path: str
    kind: str
    title: str
    new_url: str
    source_id: str = ""
    pending: bool = False  # a file whose new URL is known only once execute has copied it

    @property
    def status_code(self) -> int:
        return 301 if self.new_url or self.pending else 410


@dataclass
class NewPaths:
    """Public paths on P of what X had (known once copied; the plan fills pages and images in advance)."""

    pages: dict[int, str] = field(default_factory=dict)
    documents: dict[int, str] = field(default_factory=dict)
    images: dict[int, str] = field(default_factory=dict)
    files_pending: bool = False  # planning: files without a known new URL will get one when copied


@dataclass
class Notice:
    """X's closure notice article: not copied, it points at P's notice article."""

    path: str
    title: str
    new_path: str


def list_pages(count: int) -> range:
    """The ``?page=N`` numbers beyond the first that a column of ``count`` items has."""
    return range(2, math.ceil(count / PAGE_SIZE) + 1)


def build_rows(
    inventory: Inventory,
    mapping: Mapping,
    target_root: str,
    new: NewPaths,
    notices: list[Notice] = (),
) -> list[UrlRow]:
    rows: dict[str, UrlRow] = {}

    def add(path: str, kind: str, title: str, new_path: str | None, source_id="", pending=False) -> None:
        if path and path not in rows:
            url = "" if not new_path else new_path if "://" in new_path else target_root + new_path
            rows[path] = UrlRow(path, kind, title[:500], url, str(source_id), pending=pending and not url)

    placements = {placement.id: placement for placement in mapping.placements}
    home = inventory.home
    for page in inventory.pages:
        if not page.live:
            continue
        add(page.url, UrlKind.HOME if page.id == home.id else UrlKind.PAGE, page.title, new.pages.get(page.id), page.id)
    for notice in notices:
        add(notice.path, UrlKind.PAGE, notice.title, notice.new_path)
    for page in inventory.pages:
        count = inventory.list_lengths.get(page.id, 0)
        placement = placements.get(page.id)
        for number in list_pages(count):
            if placement is not None and placement.copy and page.id in new.pages:
                target = f"{new.pages[page.id]}?page={number}"
            else:  # merged into one of P's columns: P's list does not page the same way
                target = new.pages.get(page.id)
            add(f"{page.url}?page={number}", UrlKind.LIST, page.title, target, page.id)
    for resource_id, title in inventory.library:
        path = f"/library/{resource_id}/"
        add(path, UrlKind.LIBRARY, title, path, resource_id)
    add("/xxgk/", UrlKind.CATALOGUE, _("政府信息公开目录"), "/xxgk/")
    section = mapping.section_slug
    add(
        "/feed/",
        UrlKind.FEED,
        inventory.site.name,
        f"/feed/{section}/" if feed_slug(section) else new.pages.get(home.id),
    )
    for page in inventory.pages:
        if page.is_column and page.live and feed_slug(page.slug):
            slug = p_column_slug(mapping, page.slug)
            target = f"/feed/{slug}/" if feed_slug(slug) else new.pages.get(page.id)
            add(f"/feed/{page.slug}/", UrlKind.FEED, page.title, target, page.id)  # P's feed: "<P> - <title>"
    for document in inventory.documents:
        for path in document.paths:
            add(path, UrlKind.DOCUMENT, document.title, new.documents.get(document.id), document.id, new.files_pending)
    for image in inventory.images:
        for path in image.paths:
            add(path, UrlKind.IMAGE, image.title, new.images.get(image.id), image.id, new.files_pending)
        for path in inventory.renditions.get(image.id, []):
            add(path, UrlKind.RENDITION, image.title, new.images.get(image.id), image.id, new.files_pending)
    for redirect in inventory.redirects:
        if redirect["page_id"]:
            target = new.pages.get(redirect["page_id"])
        else:
            target = _follow_link(redirect["link"], rows, set(inventory.hosts))
        add(redirect["old_path"], UrlKind.OTHER, "", target)
    return list(rows.values())


def _follow_link(link: str, rows: dict[str, UrlRow], hosts: set[str]) -> str | None:
    """A Wagtail redirect's target: one of X's own URLs follows X's map, anything else stays as it was."""
    parts = urlsplit(link)
    if parts.netloc and parts.hostname not in hosts:
        return link
    row = rows.get(parts.path + (f"?{parts.query}" if parts.query else "")) or rows.get(parts.path)
    return row.new_url if row else None
