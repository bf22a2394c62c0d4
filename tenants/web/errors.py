"""The themed 404 and 500 pages of a site (``handler404``/``handler500`` in ``zhanqun.urls``).

The 404 page is an ordinary themed page (nav, footer, search box). The 500 page must render when the
database is the cause: it uses no context processor and no query — only the site row routing already
loaded (``request.tenant``) and its theme's stylesheets — and falls back to plain text if even that fails.

When the database is unreachable (restarting, failing over, connection cut) the same page answers
**503** with ``Retry-After`` and says so, instead of a 500 "we logged an error": the request can simply
be repeated in a moment. Django closes the broken connection at the end of the request (it was marked
as having had errors and no longer answers), and with ``CONN_HEALTH_CHECKS`` the next request on this
thread opens a fresh one. The handler sees every uncaught exception, including those raised in a
middleware (host routing's Domain lookup), which a ``process_exception`` hook would not.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import get_template
from django.utils.translation import gettext_lazy as _

from tenants.views import csp_nonce
from themes.registry import get_theme

logger = logging.getLogger(__name__)

DATABASE_RETRY_AFTER_SECONDS = 10


@dataclass(frozen=True)
class ErrorText:
    title: str  # lazily translated
    heading: str
    message: str


SERVER_ERROR = ErrorText(
    _("服务器错误"), _("抱歉，服务器暂时出现错误"), _("我们已记录这个问题，正在处理。请稍后刷新页面再试。")
)
DATABASE_UNAVAILABLE = ErrorText(
    _("服务暂时不可用"),
    _("网站数据库暂时无法访问"),
    _("服务正在恢复，通常只需几秒钟。请稍后刷新页面再试；如果刚才提交了表单，请稍后重新提交。"),
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
    """``handler500``: called while the uncaught exception is being handled (``sys.exc_info``)."""
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        response = _error_page(request, DATABASE_UNAVAILABLE, status=503)
        response["Retry-After"] = str(DATABASE_RETRY_AFTER_SECONDS)
        return response
    return _error_page(request, SERVER_ERROR, status=500)


def _error_page(request: HttpRequest, text: ErrorText, status: int) -> HttpResponse:
    site = getattr(request, "tenant", None)
    try:
        context = {
            # The loaded row's own attributes only: no related object, no query.
            "site_name": getattr(site, "name", "") if site is not None and not site.is_platform else "",
            "zq_theme": get_theme(getattr(site, "theme", None)),
            "csp_nonce": csp_nonce(request),
            "title": text.title,
            "heading": text.heading,
            "message": text.message,
        }
        html = get_template("web/500.html").render(context)  # no request: no context processors
    except Exception:  # the error page itself must never fail
        logger.exception("the %s page could not be rendered", status)
        html = (
            f'<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>{text.title}</title>'
            f"<h1>{text.heading}</h1><p>{text.message}</p></html>"
        )
    return HttpResponse(html, status=status)
