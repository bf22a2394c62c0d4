"""The site's identity for the shared templates, read once per process.

The templates show the site's name and footer identity from ``request.tenant``; a plain single-site
project would have them in its settings or templates. The one ``Site`` row of the plain database is
read at the first request and kept, so the plain project pays no query per request for it.
"""

from __future__ import annotations

from django.http import HttpRequest

from tenants.models import Site


class PlainSiteMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.site: Site | None = None

    def __call__(self, request: HttpRequest):
        if self.site is None:
            self.site = Site.objects.get()
        request.tenant = self.site
        return self.get_response(request)
