"""Plain answers the routing layer gives before any site is involved.

Their small inline ``<style>`` is allowed by the response's CSP nonce (``csp_nonce``): the routing
answers are given before static files could be served for the host, and public pages allow no
``'unsafe-inline'``. The security headers are added by the middlewares outside routing.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.views import View


def _nonce(request: HttpRequest) -> str:
    nonce = getattr(request, "csp_nonce", None)  # lazy: falsy until read, so no ``or`` here
    return "" if nonce is None else str(nonce)


class UnknownHostView(View):
    """An unknown host: a plain 404 page naming nothing of any site."""

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        html = render_to_string("tenants/unknown_host.html", {"host": request.get_host(), "csp_nonce": _nonce(request)})
        return HttpResponse(html, status=404)


def closed_site_response(request: HttpRequest, site) -> HttpResponse:
    """A closed site's closure notice (关停整合公告) naming where its content went."""
    successor = site.parent
    html = render_to_string(
        "tenants/closed_site.html",
        {
            "site": site,
            "successor": successor,
            "successor_url": f"//{successor.primary_domain}/" if successor else "",
            "csp_nonce": _nonce(request),
        },
    )
    return HttpResponse(html, status=410)
