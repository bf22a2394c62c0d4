"""链接不可用: links in the site's articles that point at the site itself and do not open. Each
distinct path is requested once through the app with the site's Host, so Wagtail routing and the
site's other URLs (互动交流, search …) answer exactly as they do for visitors."""

from __future__ import annotations

import html as html_lib
import re
from urllib.parse import urlsplit

from django.db import connection
from django.test import Client
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context
from wagtail.models import Page

from inspection.checks import DEDUCTION, Context, Finding, check
from tenants.content.models import ArticlePage
from tenants.models import Domain
from tenants.visits import INSPECTION_AGENT

_HREF = re.compile(r"""<a\b[^>]*\bhref=["']([^"']+)["']""", re.I)
_PAGE_LINK = re.compile(r"""<a\b[^>]*\blinktype=["']page["'][^>]*\bid=["'](\d+)["']""", re.I)
MAX_FINDINGS = 20  # a site with hundreds of dead links needs the list, not 100 deductions


def hrefs(html: str) -> list[str]:
    """The targets of the ``<a href>`` links in rich text or a page (the external links check reads them too)."""
    return [html_lib.unescape(href) for href in _HREF.findall(html or "")]


def internal_path(href: str, hosts: set[str]) -> str | None:
    """The path of a link to this site (relative, or absolute to one of its domains), else None."""
    parts = urlsplit(href.strip())
    if parts.scheme and parts.scheme not in ("http", "https"):
        return None
    if parts.netloc and parts.netloc.split(":")[0].lower() not in hosts:
        return None
    if not parts.path.startswith("/"):
        return None
    return parts.path


def _articles(site) -> tuple[list[tuple[str, str, int, str]], set[int]]:
    """The site's live articles (title, URL, id, body) and which of the pages they link by id are live."""
    with schema_context(site.schema_name):
        rows = [
            (article.title, article.url or "", article.pk, article.body or "")
            for article in ArticlePage.objects.live().only("pk", "title", "body", "url_path")
        ]
        linked = {int(i) for row in rows for i in _PAGE_LINK.findall(row[3])}
        live_ids = set(Page.objects.filter(pk__in=linked).live().values_list("pk", flat=True)) if linked else set()
        return rows, live_ids


@check("links")
def links(ctx: Context) -> list[Finding]:
    site = ctx.site
    hosts = set(Domain.objects.filter(tenant=site).values_list("domain", flat=True))
    rows, live_ids = _articles(site)
    client = Client(HTTP_HOST=site.primary_domain, HTTP_USER_AGENT=INSPECTION_AGENT)
    status: dict[str, int] = {}
    findings: list[Finding] = []
    try:
        for title, url, pk, body in rows:
            broken = [f"#{i}" for i in _PAGE_LINK.findall(body) if int(i) not in live_ids]
            for href in hrefs(body):
                path = internal_path(href, hosts)
                if path is None:
                    continue
                if path not in status:
                    status[path] = client.get(path).status_code
                    connection.set_schema_to_public()
                if status[path] >= 400:
                    broken.append(href)
            for link in broken:
                findings.append(
                    Finding(
                        "broken_link",
                        _("链接不可用"),
                        DEDUCTION,
                        _("文章“%(title)s”（%(url)s）中的链接 %(link)s 无法打开。")
                        % {"title": title, "url": url, "link": link},
                        url=f"/admin/pages/{pk}/edit/",
                        points=1,
                    )
                )
    finally:
        connection.set_schema_to_public()
    return findings[:MAX_FINDINGS]
