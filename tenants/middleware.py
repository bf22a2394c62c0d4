"""Host routing: the first thing every request meets.

Order matters and is the one place it is decided: (1) the host is looked up in the Domain table
(which is the host allowlist); (2) an unknown host gets a plain 404 page, never another site's
content and never a 500; (3) a closed site answers from its closure's URL map, 301 to the new home
of each old URL or 410 with the closure notice (``tenants.closure.redirect``), without touching its
schema; (4) otherwise the request is served from that site's schema.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django_tenants.middleware.main import TenantMainMiddleware

from tenants.closure import redirect as closure_redirect
from tenants.models import SiteStatus


class SiteRoutingMiddleware(TenantMainMiddleware):
    def process_request(self, request: HttpRequest) -> HttpResponse | None:
        response = super().process_request(request)
        if response is not None:
            return response
        site = request.tenant
        if site.status == SiteStatus.CLOSED:
            return closure_redirect.answer(request, site)  # 301/410 from the public schema only
        return None
