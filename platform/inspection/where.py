"""Where to fix a finding: the link each screen shows next to it.

Checks record a path on the site (``/admin/...`` for an admin screen, else a public path). Editors on
their own admin get the page's *edit* screen when the public path is one of their pages, otherwise
the path itself (same host); operators on the console get absolute links to the site's host."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django_tenants.utils import schema_context
from wagtail.models import Page

from tenants.addresses import root_url
from tenants.content.models import HomePage
from tenants.models import Site


def _edit_urls(site: Site, paths: set[str]) -> dict[str, str]:
    """The admin edit URL of each public path that is a page of the site (one query)."""
    if not paths:
        return {}
    with schema_context(site.schema_name):
        home = HomePage.objects.only("url_path").first()
        if home is None:
            return {}
        wanted = {home.url_path + path.strip("/") + ("/" if path.strip("/") else ""): path for path in paths}
        pages = Page.objects.filter(url_path__in=wanted).values_list("url_path", "pk")
        return {wanted[url_path]: reverse("wagtailadmin_pages:edit", args=[pk]) for url_path, pk in pages}


def annotate(site: Site, findings: list[dict], *, on_console: bool, request: HttpRequest | None = None) -> list[dict]:
    """The findings, each with ``where`` (the link) and ``where_label`` (修改页面/去处理/查看页面)."""
    public = {f["url"] for f in findings if f.get("url") and not f["url"].startswith("/admin/")}
    edits = {} if on_console else _edit_urls(site, public)
    root = root_url(site, request) if on_console else ""
    shown = []
    for finding in findings:
        url = finding.get("url") or ""
        if not url:
            where, label = "", ""
        elif url.startswith("/admin/"):
            where, label = root + url, "admin"
        elif url in edits:
            where, label = edits[url], "edit"
        else:
            where, label = (root_url(site, request) if on_console else "") + url, "public"
        shown.append({**finding, "where": where, "where_kind": label})
    return shown
