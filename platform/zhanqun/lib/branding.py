"""Whose admin this is: the site's (or, on the platform host, the platform's) name for the admin's
login page, window titles and dashboard, instead of Wagtail's own branding."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def admin_branding(request: HttpRequest) -> dict[str, str]:
    tenant = getattr(request, "tenant", None)
    platform_name = settings.WAGTAIL_SITE_NAME
    site_name = getattr(tenant, "name", "") or platform_name
    return {"zq_platform_name": platform_name, "zq_site_name": site_name}
