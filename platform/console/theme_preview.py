"""Render a site's home page as it would look in another theme, without changing the site.

The console runs on the platform's schema; the page lives in the site's. The page is rendered in
the site's schema for a request that carries a copy of the site whose ``theme`` is the one to try
(the theme context processor reads ``request.tenant``), so nothing is saved and no query string on a
public site can ever switch its theme.
"""

from __future__ import annotations

import copy

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context, schema_exists

from tenants.content.models import HomePage
from tenants.models import Site
from themes.registry import THEMES


def preview_request(site: Site, shown: Site) -> HttpRequest:
    """A bare GET / on the site's primary host, as an anonymous visitor would make it."""
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = "/"
    host = site.primary_domain or "localhost"
    request.META = {"HTTP_HOST": host, "SERVER_NAME": host, "SERVER_PORT": "80", "REMOTE_ADDR": "127.0.0.1"}
    request.user = AnonymousUser()
    request.tenant = shown
    request.is_preview = True
    return request


def render_home(site: Site, theme: str) -> HttpResponse:
    if theme not in THEMES:
        return HttpResponse(_("没有这个主题。"), status=400, content_type="text/plain; charset=utf-8")
    if not schema_exists(site.schema_name):  # an archived closure dropped it
        return HttpResponse(_("该站点的数据已归档，无法预览。"), status=404, content_type="text/plain; charset=utf-8")
    shown = copy.copy(site)
    shown.theme = theme
    with schema_context(site.schema_name):
        home = HomePage.objects.first()
        if home is None:
            return HttpResponse(_("该站点还没有首页。"), status=404, content_type="text/plain; charset=utf-8")
        response = home.serve(preview_request(site, shown))
        if hasattr(response, "render"):
            response.render()
    response["Cache-Control"] = "private, no-store"
    return response
