"""The themed 404 and 500 pages of a site (``handler404``/``handler500`` in ``zhanqun.urls``).

The 404 page is an ordinary themed page (nav, footer, search box). The 500 page must render when the
database is the cause: it uses no context processor and no query — only the site row routing already
loaded (``request.tenant``) and its theme's stylesheets — and falls back to plain text if even that fails.
"""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template.loader import get_template

from tenants.views import csp_nonce
from themes.registry import get_theme

logger = logging.getLogger(__name__)

PLAIN_500 = (
    '<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>服务器错误</title>'
    "<h1>服务器暂时出现错误</h1><p>请稍后再试。</p></html>"
)

PLAIN_404 = (
    '<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>页面不存在</title>'
    '<h1>页面不存在</h1><p><a href="/">返回首页</a></p></html>'
)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    site = getattr(request, "tenant", None)
    if site is None or getattr(site, "is_platform", False):
        return HttpResponse(PLAIN_404, status=404)
    context = {
        "meta_title": "页面不存在",
        "meta_description": f"{site.name}：您访问的页面不存在。",
        "path": request.path,
    }
    return render(request, "web/404.html", context, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    site = getattr(request, "tenant", None)
    try:
        context = {
            # The loaded row's own attributes only: no related object, no query.
            "site_name": getattr(site, "name", "") if site is not None and not site.is_platform else "",
            "zq_theme": get_theme(getattr(site, "theme", None)),
            "csp_nonce": csp_nonce(request),
        }
        html = get_template("web/500.html").render(context)  # no request: no context processors
    except Exception:  # the error page itself must never fail
        logger.exception("the 500 page could not be rendered")
        html = PLAIN_500
    return HttpResponseServerError(html)
