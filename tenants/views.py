"""Plain answers the routing layer gives before any site is involved."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.views import View

# The Wagtail admin's mount point in both URL confs (zhanqun.urls, zhanqun.urls_public).
ADMIN_PREFIX = "/admin/"


class UnknownHostView(View):
    """An unknown host: a plain 404 page naming nothing of any site."""

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        html = render_to_string("tenants/unknown_host.html", {"host": request.get_host()})
        return HttpResponse(html, status=404)


def closed_site_response(request: HttpRequest, site) -> HttpResponse:
    """A closed site's closure notice (关停整合公告) naming where its content went."""
    successor = site.parent
    html = render_to_string(
        "tenants/closed_site.html",
        {"site": site, "successor": successor, "successor_url": f"//{successor.primary_domain}/" if successor else ""},
    )
    return HttpResponse(html, status=410)


def suspended_site_response(request: HttpRequest, site) -> HttpResponse | None:
    """A suspended site (暂停服务): the public gets a plain 503 notice; its admin stays reachable, so
    editors can put right what caused the suspension and operators can check it."""
    if request.path_info.startswith(ADMIN_PREFIX):
        return None
    html = render_to_string("tenants/suspended_site.html", {"site": site})
    response = HttpResponse(html, status=503)
    response["Retry-After"] = "3600"
    return response
