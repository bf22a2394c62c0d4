"""The identity flag shown to a site's editors: what the site's footer lacks of the identity national
rules require (``tenants.footer_identity``), as a warning on every admin page and a dashboard panel.

Editors cannot fix it themselves (operators edit identity in the platform console), so the flag says
whom to ask. A warning added while the response is still a ``TemplateResponse`` is rendered by that
same page (Wagtail lists the request's messages), so it appears once per page and never piles up.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tenants.footer_identity import IdentityField, missing_identity
from tenants.views import ADMIN_PREFIX

WHO_FIXES = gettext_lazy("这些信息由平台运维人员在站群管理平台的“站点管理”中填写，请联系平台管理员补充。")


def flagged_fields(request: HttpRequest) -> list[IdentityField]:
    """What the current site misses, for a person who may use this site's admin (else nothing)."""
    site = getattr(request, "tenant", None)
    user = getattr(request, "user", None)
    if site is None or site.is_platform or user is None or not user.is_authenticated:
        return []
    if not user.has_perm("wagtailadmin.access_admin"):
        return []
    return missing_identity(site)


def flag_message(missing: list[IdentityField]) -> str:
    names = "、".join(str(item.label) for item in missing)
    return _("本站页脚缺少国家规定的网站标识信息：%(names)s。%(who)s") % {"names": names, "who": WHO_FIXES}


class IdentityFlagMiddleware:
    """Adds the warning to full admin pages (not to partial list refreshes fetched by script)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_template_response(self, request: HttpRequest, response):
        if (
            request.method == "GET"
            and response.status_code == 200
            and request.path_info.startswith(ADMIN_PREFIX)
            and request.headers.get("x-requested-with") != "XMLHttpRequest"
            and "_w_filter" not in request.GET  # Wagtail's listing refreshes, partial HTML
        ):
            missing = flagged_fields(request)
            if missing:
                messages.warning(request, flag_message(missing))
        return response
