"""Hits as the results page shows them: marked title and snippet, the site and column, the date,
and for library items 索引号 and 文号, linked on the asking site when it shows the item."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.safestring import SafeString

from sitesearch.engine import Hit
from sitesearch.highlight import highlight, snippet
from tenants.addresses import root_url
from tenants.models import Site


@dataclass
class ShownHit:
    url: str
    title: SafeString
    snippet: SafeString
    site_name: str
    column: str
    date: datetime.date | None
    index_number: str
    document_number: str
    is_library: bool


def _home_site_id(hit: Hit, asking_site_id: int) -> int:
    """Where the link goes: the asking site when it shows the hit, else (a library item) its
    contributor, listed first in ``site_ids``."""
    if asking_site_id in hit.site_ids:
        return asking_site_id
    return hit.site_ids[0] if hit.site_ids else hit.site_id


def present(hits: list[Hit], marks: tuple[str, ...], asking_site_id: int) -> list[ShownHit]:
    homes = [_home_site_id(hit, asking_site_id) for hit in hits]
    sites = Site.objects.in_bulk(set(homes))
    shown = []
    for hit, home in zip(hits, homes, strict=True):
        site = sites.get(home)
        url = hit.url if home == asking_site_id or site is None else root_url(site) + hit.url
        shown.append(
            ShownHit(
                url=url,
                title=highlight(hit.title, marks),
                snippet=snippet(hit.text, marks),
                site_name=site.name if site else "",
                column=hit.column_title,
                date=hit.publish_date,
                index_number=hit.index_number,
                document_number=hit.document_number,
                is_library=hit.is_library,
            )
        )
    return shown
