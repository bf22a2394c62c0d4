"""External links (links to hosts outside the cluster) on every site: where they are, and the
cluster-wide pass that checks them.

Why a pass of its own (scheduled every ``ZQ_INSPECT_EXTERNAL_EVERY_HOURS``, 24 by default) and not
the per-site run: the per-site inspection runs about 20 times a day for every site and must stay
fast (1,000 sites in minutes); fetching every external link on every site on every run would make
it as slow as the slowest foreign server and hit those servers thousands of times. The pass gathers
the links of all running sites, requests each distinct URL once (a URL linked by 300 sites is
requested once), with a small thread pool (``ZQ_INSPECT_EXTERNAL_WORKERS``) and a short timeout,
and keeps the result in ``ExternalLink``; a result younger than ``ZQ_INSPECT_EXTERNAL_TTL_HOURS`` is
not requested again. The per-site check (``checks.external_links``) only reads those results, so a
link added since the last pass is reported after the next one.

A URL is requested with ``HEAD``, then ``GET`` when the server answered ``HEAD`` with an error (many
servers refuse ``HEAD``); redirects are followed. Hosts that resolve to a private, loopback or
link-local address, directly or through a redirect, are never requested (a page could otherwise
make the platform probe its own network) unless ``ZQ_INSPECT_EXTERNAL_ALLOW_PRIVATE`` is set; such
links are recorded as not checked and never reported.
"""

from __future__ import annotations

import datetime
import ipaddress
import socket
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django_tenants.utils import schema_context

from inspection.checks.links import hrefs
from inspection.models import ExternalLink
from shared_library.guides import REQUIRED_ELEMENTS
from shared_library.models import Resource
from tenants.content.models import ArticlePage
from tenants.models import Domain, Site
from tenants.services.models import ServiceGuidePage
from tenants.visits import INSPECTION_AGENT

GUIDE_RICH_TEXT = [name for name, _label in REQUIRED_ELEMENTS]
MAX_URL = 2000  # longer "links" are not addresses anyone follows (and would not fit the unique index)


@dataclass(frozen=True)
class Link:
    """One external link and the page it is on."""

    href: str
    page_title: str
    page_url: str  # the page's public path on the site
    edit_url: str  # where to fix it (the page's editor; a library item's public page)


def cluster_hosts() -> set[str]:
    """Every host name of the cluster: a link to one of them is internal, never external."""
    hosts = {domain.lower() for domain in Domain.objects.values_list("domain", flat=True)}
    return hosts | {settings.PLATFORM_DOMAIN.lower()}


def is_external(href: str, hosts: set[str]) -> bool:
    if len(href) > MAX_URL:
        return False
    try:
        parts = urlsplit(href.strip())
        host = parts.hostname
    except ValueError:  # e.g. a malformed IPv6 literal
        return False
    return parts.scheme in ("http", "https") and bool(host) and host.lower() not in hosts


def site_links(site: Site, hosts: set[str]) -> list[Link]:
    """The external links on the site's live articles and service guides (rich text and the guide's
    online address) and on the library items it shows."""
    found: list[Link] = []

    def add(html: str, title: str, url: str, edit: str) -> None:
        found.extend(Link(href.strip(), title, url, edit) for href in hrefs(html) if is_external(href, hosts))

    with schema_context(site.schema_name):
        articles = ArticlePage.objects.live().filter(body__contains="href").only("pk", "title", "body", "url_path")
        for article in articles:
            add(article.body, article.title, article.url or "", f"/admin/pages/{article.pk}/edit/")
        for guide in ServiceGuidePage.objects.live().only("pk", "title", "url_path", "online_url", *GUIDE_RICH_TEXT):
            edit = f"/admin/pages/{guide.pk}/edit/"
            text = " ".join(str(getattr(guide, name) or "") for name in GUIDE_RICH_TEXT)
            add(text, guide.title, guide.url or "", edit)
            if guide.online_url and is_external(guide.online_url, hosts):
                found.append(Link(guide.online_url.strip(), guide.title, guide.url or "", edit))
    resources = Resource.objects.public().visible_on(site).filter(body__contains="href").only("pk", "title", "body")
    for resource in resources:
        add(resource.body, resource.title, resource.get_path(), resource.get_path())
    return found


# --- Requesting a URL --------------------------------------------------------------------------


def _private(host: str) -> bool:
    """Whether ``host`` resolves to an address the platform must not probe (a name that does not
    resolve is left to the request, which reports it)."""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        return False  # the request itself reports the unknown name
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if not address.is_global:
            return True
    return False


def _allowed(url: str) -> bool:
    return settings.ZQ_INSPECT_EXTERNAL_ALLOW_PRIVATE or not _private(urlsplit(url).hostname or "")


class _Blocked(urllib.error.URLError):
    pass


class _GuardedRedirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only to an address the platform may probe."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if not _allowed(newurl):
            raise _Blocked("redirect to a private address")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_opener = urllib.request.build_opener(_GuardedRedirects)


@dataclass(frozen=True)
class Result:
    ok: bool
    status: int = 0
    error: str = ""
    skipped: bool = False


def _request(url: str, method: str) -> tuple[int, str]:
    request = urllib.request.Request(url, method=method, headers={"User-Agent": INSPECTION_AGENT})
    try:
        with _opener.open(request, timeout=settings.ZQ_INSPECT_EXTERNAL_TIMEOUT) as response:  # noqa: S310 - http(s) only
            return response.status, ""
    except _Blocked:
        raise
    except urllib.error.HTTPError as exc:
        return exc.code, ""
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return 0, f"{type(reason).__name__}: {reason}"[:300]


def check_url(url: str) -> Result:
    """Whether ``url`` opens (an answer below 400 after redirects). Never raises."""
    try:
        if not _allowed(url):
            return Result(ok=False, skipped=True, error="private address")
        status, error = _request(url, "HEAD")
        if status >= 400:  # some servers refuse HEAD: ask as a browser does
            status, error = _request(url, "GET")
        return Result(ok=0 < status < 400, status=status, error=error)
    except _Blocked:
        return Result(ok=False, skipped=True, error="redirect to a private address")


# --- The cluster-wide pass ---------------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    urls: int  # distinct external URLs on the sites
    checked: int  # requested in this pass (the others had a fresh result)
    broken: int  # of those requested, how many did not open

    def __str__(self) -> str:
        return f"外部链接 {self.urls} 个，本次检查 {self.checked} 个，无法打开 {self.broken} 个"


def refresh(sites: Iterable[Site], now=None, progress: Callable[[int], None] = lambda _n: None) -> Summary:
    """Check every external URL of ``sites`` that has no result younger than the TTL."""
    now = now or timezone.now()
    hosts = cluster_hosts()
    urls = sorted({link.href for site in sites for link in site_links(site, hosts)})
    since = now - datetime.timedelta(hours=settings.ZQ_INSPECT_EXTERNAL_TTL_HOURS)
    fresh = set(ExternalLink.objects.filter(url__in=urls, checked_at__gte=since).values_list("url", flat=True))
    due = [url for url in urls if url not in fresh]
    results: list[tuple[str, Result]] = []
    with ThreadPoolExecutor(max_workers=max(1, settings.ZQ_INSPECT_EXTERNAL_WORKERS)) as pool:
        for url, result in zip(due, pool.map(check_url, due), strict=True):
            results.append((url, result))
            progress(1)
    checked_at = timezone.now()
    ExternalLink.objects.bulk_create(
        [
            ExternalLink(url=url, ok=r.ok, status=r.status, error=r.error, skipped=r.skipped, checked_at=checked_at)
            for url, r in results
        ],
        update_conflicts=True,
        unique_fields=["url"],
        update_fields=["ok", "status", "error", "skipped", "checked_at"],
        batch_size=500,
    )
    broken = sum(1 for _url, r in results if not r.ok and not r.skipped)
    return Summary(urls=len(urls), checked=len(due), broken=broken)


def broken(urls: Iterable[str]) -> dict[str, ExternalLink]:
    """The known broken ones among ``urls`` (not yet checked or not checkable: not listed)."""
    return {row.url: row for row in ExternalLink.objects.filter(url__in=set(urls), ok=False, skipped=False)}
