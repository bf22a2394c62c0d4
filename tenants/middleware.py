"""Host routing: the first thing every request meets after the security headers are promised.

Order matters and is the one place it is decided: (1) the host is looked up in the Domain table
(which is the host allowlist): the exact host first, then the host without ``www.``; an IP address
never names a site; (2) an unknown host gets a plain 404 page, never another site's content and
never a 500; (3) a closed site answers from its closure's URL map, 301 to the new home of each old URL or 410
with the closure notice (``tenants.closure.redirect``), without touching its schema; (4) otherwise
the request is served from that site's schema.

Both lookups (host → site, and Wagtail's site for the host) come from ``tenants.routing``'s cache
when it is on, so a warm request sends no SQL before the page's own queries; with the connection
already on that schema (``tenants.postgresql_backend``) not even a ``SET search_path``.

The security-header middlewares sit *before* this one in ``MIDDLEWARE`` (see settings), so the
answers given here (404, 410) carry the same headers as every page.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.http.request import split_domain_port
from django_tenants.middleware.main import TenantMainMiddleware

from tenants import routing
from tenants.aliases import alias_redirect
from tenants.closure import redirect as closure_redirect
from tenants.lib.hostnames import is_ip_literal, routing_candidates
from tenants.models import SiteStatus
from tenants.views import suspended_site_response


class SiteRoutingMiddleware(TenantMainMiddleware):
    @staticmethod
    def hostname_from_request(request: HttpRequest) -> str:
        """The host without port, lower case. Unlike django-tenants, ``www.`` is kept: see ``get_tenant``."""
        return split_domain_port(request.get_host())[0]

    def get_tenant(self, domain_model, hostname: str):
        """The site registered for ``hostname`` exactly, else for it without ``www.``; never for an IP."""
        if is_ip_literal(hostname):
            raise domain_model.DoesNotExist
        entry = routing.cached_entry(hostname)
        if entry is None:
            entry = {"domain": self._matching_domain(domain_model, hostname), "wagtail": {}}
            routing.remember(hostname, entry)
        row = entry["domain"]
        site = row.tenant
        site.matched_domain = row  # lets alias_redirect decide without a query
        site.routing_entry = entry
        return site

    @staticmethod
    def _matching_domain(domain_model, hostname: str):
        candidates = routing_candidates(hostname)
        rows = {d.domain: d for d in domain_model.objects.select_related("tenant").filter(domain__in=candidates)}
        for candidate in candidates:
            if candidate in rows:
                return rows[candidate]
        raise domain_model.DoesNotExist

    def process_request(self, request: HttpRequest) -> HttpResponse | None:
        response = super().process_request(request)
        if response is not None:
            return response
        site = request.tenant
        entry = site.__dict__.pop("routing_entry", None)  # not kept on the site: it is cached with it
        if site.status == SiteStatus.CLOSED:
            return closure_redirect.answer(request, site)  # 301/410 from the public schema only
        if redirect := alias_redirect(request, site):
            return redirect
        if site.status == SiteStatus.SUSPENDED:
            return suspended_site_response(request, site)
        if entry is not None and routing.enabled():
            # What Wagtail's Site.find_for_request would look up, answered from the routing entry.
            request._wagtail_site = routing.wagtail_site(request, site.domain_url, entry)
        return None
