"""Alias domains answer with a permanent redirect to the site's primary domain, unless the operator
chose to serve that alias (``Domain.serve_alias``). Routing hands over the matched row, so a primary
or served host costs no query."""

from __future__ import annotations

from django.db.models import Q
from django.http import HttpRequest, HttpResponsePermanentRedirect
from django.http.request import split_domain_port

from tenants.models import Domain


def alias_redirect(request: HttpRequest, site) -> HttpResponsePermanentRedirect | None:
    """The redirect for a request that arrived on a redirecting alias of ``site``, else None.

    The path and query string are kept, so old links keep working on the primary domain. Safe methods
    get 301; others 308, which keeps the method and body (a form posted to the alias still arrives)."""
    host = getattr(site, "domain_url", "") or ""
    matched = getattr(site, "matched_domain", None)  # set by routing: the row this host matched
    if matched is not None and matched.domain == host and (matched.is_primary or matched.serve_alias):
        return None
    rows = Domain.objects.filter(tenant_id=site.pk).filter(Q(domain=host) | Q(is_primary=True))
    rows = list(rows.values_list("domain", "is_primary", "serve_alias"))
    this = next((row for row in rows if row[0] == host), None)
    primary = next((row[0] for row in rows if row[1]), None)
    if this is None or primary is None or this[1] or this[2] or primary == host:
        return None
    _host, port = split_domain_port(request.get_host())
    netloc = f"{primary}:{port}" if port else primary
    response = HttpResponsePermanentRedirect(f"{request.scheme}://{netloc}{request.get_full_path()}")
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        response.status_code = 308
    return response
