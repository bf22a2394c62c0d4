"""Plain answers the routing layer gives before any site is involved.

Their small inline ``<style>`` is allowed by the response's CSP nonce (``csp_nonce``): the routing
answers are given before static files could be served for the host, and public pages allow no
``'unsafe-inline'``. The security headers are added by the middlewares outside routing.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.views import View

# The Wagtail admin's mount point in both URL confs (zhanqun.urls, zhanqun.urls_public).
ADMIN_PREFIX = "/admin/"


def csp_nonce(request: HttpRequest | None) -> str:
    """The response's CSP nonce for a routing answer's inline style (empty without a request)."""
    # django-csp's nonce is lazy (falsy until read), so no ``or`` here.
    nonce = getattr(request, "csp_nonce", None) if request is not None else None
    return "" if nonce is None else str(nonce)


class UnknownHostView(View):
    """An unknown host: a plain 404 page naming nothing of any site."""

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        context = {"host": request.get_host(), "csp_nonce": csp_nonce(request)}
        html = render_to_string("tenants/unknown_host.html", context)
        return HttpResponse(html, status=404)


def suspended_site_response(request: HttpRequest, site) -> HttpResponse | None:
    """A suspended site (暂停服务): the public gets a plain 503 notice; its admin stays reachable, so
    editors can put right what caused the suspension and operators can check it."""
    if request.path_info.startswith(ADMIN_PREFIX):
        return None
    html = render_to_string("tenants/suspended_site.html", {"site": site, "csp_nonce": csp_nonce(request)})
    response = HttpResponse(html, status=503)
    response["Retry-After"] = "3600"
    return response
