"""Plain answers the routing layer gives before any site is involved."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.views import View


class UnknownHostView(View):
    """An unknown host: a plain 404 page naming nothing of any site."""

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        html = render_to_string("tenants/unknown_host.html", {"host": request.get_host()})
        return HttpResponse(html, status=404)
