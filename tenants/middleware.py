"""Host routing: the first thing every request meets.

Order matters and is the one place it is decided: (1) the host is looked up in the Domain table
(which is the host allowlist); (2) an unknown host gets a plain 404 page, never another site's
content and never a 500; (3) a closed site answers with its closure notice (the close-and-migrate
work will add page-level redirects here, before tenant routing); (4) otherwise the request is served
from that site's schema.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django_tenants.middleware.main import TenantMainMiddleware

from tenants.aliases import alias_redirect
from tenants.models import SiteStatus
from tenants.views import closed_site_response, suspended_site_response


class SiteRoutingMiddleware(TenantMainMiddleware):
    def process_request(self, request: HttpRequest) -> HttpResponse | None:
        response = super().process_request(request)
        if response is not None:
            return response
        site = request.tenant
        if redirect := alias_redirect(request, site):
            return redirect
        if site.status == SiteStatus.CLOSED:
            return closed_site_response(request, site)
        if site.status == SiteStatus.SUSPENDED:
            return suspended_site_response(request, site)
        return None
