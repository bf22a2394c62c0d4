"""Small facts about a site that every closure step reads in the site's own schema (its home page,
its public paths), because the Wagtail site record, the page tree and the storage prefix live there.
Addresses (root URL, hosts) are ``tenants.closure.addresses``': one place for every step."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.urls import reverse
from wagtail.models import Page
from wagtail.models import Site as WagtailSite


def home_page() -> Page:
    """The current schema's site root (its HomePage), as Wagtail routes it."""
    record = WagtailSite.objects.filter(is_default_site=True).select_related("root_page").first()
    if record is None:
        record = WagtailSite.objects.select_related("root_page").first()
    return record.root_page


def public_path(url_path: str, root_url_path: str) -> str:
    """The path a page is served at: its ``url_path`` below the site root (``/home/news/a/`` -> ``/news/a/``)."""
    return "/" + url_path[len(root_url_path) :]


def document_path(document_id: int, filename: str) -> str:
    """Wagtail's serve URL of a document, decoded as ``request.path`` gives it (site URLconf, since the
    caller may be on the platform console's public URLconf)."""
    return unquote(reverse("wagtaildocs_serve", args=(document_id, filename), urlconf=settings.ROOT_URLCONF))


def local_path(url: str, site_hosts: set[str] | None = None) -> str | None:
    """The decoded path of a storage URL when the site itself serves it (a relative URL, or one on one of
    its hosts); None for files served elsewhere (object storage), whose URLs the closure cannot answer."""
    parts = urlsplit(url)
    if parts.netloc and (site_hosts is None or parts.hostname not in site_hosts):
        return None
    return unquote(parts.path)
