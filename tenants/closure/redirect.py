"""Answering a closed site's requests (关停上移, step "redirect"): 301 to the new home on P, or 410.

Called by the routing middleware for a site whose status is CLOSED, and only then, so a normal
site never queries the closure tables. Everything read here lives in the public schema: X's own
schema may be archived and dropped, and is never needed to answer.

Lookup order for a request ``/news/?page=2`` on any of X's domains: the path with its query (list
pages are mapped per page), then the bare path (the query is carried over to the new URL), then the
path with a trailing slash added (old links often lack it). No row, or a row without a new URL,
answers 410 with the closure notice naming P, its address and the section X's content went to.
A CLOSED site without a live closure (closed before this mechanism, or by hand) keeps its plain
410 notice naming its parent.
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit, urlunsplit

from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.http.request import split_domain_port
from django.template.loader import render_to_string
from django.utils import timezone

from tenants.closure.addresses import planned_redirect_expiry, section_url, site_url
from tenants.closure.models import LIVE_STATUSES, Closure, ClosureUrl
from tenants.models import Domain, Site
from tenants.views import csp_nonce


def live_closure(site: Site) -> Closure | None:
    """The closure whose URL map answers for ``site`` (the newest live one)."""
    return (
        Closure.objects.filter(site=site, status__in=LIVE_STATUSES)
        .select_related("target")
        .order_by("-created_at", "-pk")
        .first()
    )


def candidate_paths(request: HttpRequest) -> list[tuple[str, bool]]:
    """(path, carries_query) in lookup order. ``carries_query``: the row matched without the
    request's query, which must then be appended to the new URL."""
    path = request.path
    query = request.META.get("QUERY_STRING", "")
    candidates: list[tuple[str, bool]] = []
    if query:
        candidates.append((f"{path}?{query}", False))
        decoded = unquote(query)
        if decoded != query:
            candidates.append((f"{path}?{decoded}", False))
    candidates.append((path, bool(query)))
    if not path.endswith("/"):
        candidates.append((f"{path}/", bool(query)))
    return candidates


def find_url(site: Site, request: HttpRequest) -> tuple[ClosureUrl | None, bool]:
    """One indexed query over (site, path) for every candidate, rows of live closures only (with
    their closure and P, for the notice); the earliest candidate wins."""
    candidates = candidate_paths(request)
    rows = ClosureUrl.objects.filter(
        site=site, path__in=[path for path, _ in candidates], closure__status__in=LIVE_STATUSES
    ).select_related("closure__target")
    found = {row.path: row for row in rows}
    for path, carries_query in candidates:
        if path in found:
            return found[path], carries_query
    return None, False


def with_query(url: str, query: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}{query}" if query else url


def on_request_port(url: str, request: HttpRequest) -> str:
    """Keep the port the visitor used when the new URL is on one of the cluster's own domains.

    New URLs are stored as the public sees them in production (no port); a cluster served on a
    port (the demo on :8000, a staging proxy) must send visitors to the same port of the new site.
    Hosts outside the cluster (an S3 endpoint) keep their own address."""
    _host, port = split_domain_port(request.get_host())
    parts = urlsplit(url)
    if not port or parts.port or not parts.hostname or not Domain.objects.filter(domain=parts.hostname).exists():
        return url
    return urlunsplit(parts._replace(netloc=f"{parts.hostname}:{port}"))


def answer(request: HttpRequest, site: Site) -> HttpResponse:
    """The response for any request to a CLOSED site's domains: a known old URL costs one query."""
    connection.set_schema_to_public()  # X's schema may be gone; nothing here needs it
    row, carries_query = find_url(site, request)
    if row is not None:
        if row.new_url and row.status_code == 301:
            query = request.META.get("QUERY_STRING", "") if carries_query else ""
            return HttpResponsePermanentRedirect(on_request_port(with_query(row.new_url, query), request))
        return notice_response(site, row.closure, request)
    return notice_response(site, live_closure(site), request)


def notice_response(site: Site, closure: Closure | None, request: HttpRequest | None = None) -> HttpResponse:
    """The closure notice (关停整合公告) as a 410 page. With a live closure it names P, P's address
    and the section that received X's content; otherwise the site's parent."""
    successor = closure.target if closure else site.parent
    closed_at = site.closed_at or (closure.executed_at if closure else None)
    context = {
        "site": site,
        "closure": closure,
        "successor": successor,
        "successor_url": site_url(successor) if successor else "",
        "section_url": section_url(closure) if closure else "",
        "section_title": closure.section_title if closure else "",
        "closed_on": timezone.localdate(closed_at) if closed_at else None,
        "redirect_expires_on": planned_redirect_expiry(closure) if closure else None,
        "csp_nonce": csp_nonce(request),
    }
    response = HttpResponse(render_to_string("tenants/closed_site.html", context), status=410)
    response["Cache-Control"] = "no-cache"
    return response
