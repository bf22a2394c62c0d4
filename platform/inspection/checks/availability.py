"""站点无法访问: the home page is probed through the app itself (the site's own Host header), timed;
the site fails when failed probes over the window reach the ratio (5 % of a week's probes)."""

from __future__ import annotations

import datetime
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils.translation import gettext as _

from inspection.checks import VETO, Context, Finding, check
from inspection.models import InspectionRun
from tenants.visits import INSPECTION_AGENT


def _get_in_process(site) -> tuple[int, str]:
    response = Client(HTTP_HOST=site.primary_domain, HTTP_USER_AGENT=INSPECTION_AGENT).get("/")
    return response.status_code, response.content.decode("utf-8", "replace")


def _get_over_http(site, base_url: str) -> tuple[int, str]:
    """A real HTTP GET to the app servers (``ZQ_INSPECT_BASE_URL``) with the site's Host header, as
    the national monitor sees the site (proxy, workers and all)."""
    request = urllib.request.Request(
        f"{base_url.rstrip('/')}/", headers={"Host": site.primary_domain, "User-Agent": INSPECTION_AGENT}
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.ZQ_INSPECT_PROBE_TIMEOUT) as response:  # noqa: S310
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, ""


def probe_home(site) -> dict:
    """GET the site's home page as a visitor would; a probe fails on an error status, an exception
    or a page slower than ``ZQ_INSPECT_PROBE_TIMEOUT`` seconds. Over HTTP when ``ZQ_INSPECT_BASE_URL``
    is set, else through the app in this process (no network needed)."""
    started = time.monotonic()
    error = ""
    try:
        if settings.ZQ_INSPECT_BASE_URL:
            status, html = _get_over_http(site, settings.ZQ_INSPECT_BASE_URL)
        else:
            status, html = _get_in_process(site)
    except Exception as exc:  # noqa: BLE001 - any failure to serve is what the probe measures
        status, html = 0, ""
        error = f"{type(exc).__name__}: {exc}"[:300]
    finally:
        connection.set_schema_to_public()
    seconds = round(time.monotonic() - started, 3)
    ok = status == 200 and seconds <= settings.ZQ_INSPECT_PROBE_TIMEOUT
    return {"ok": ok, "status": status, "seconds": seconds, "error": error, "html": html}


@check("availability")
def availability(ctx: Context) -> list[Finding]:
    since = ctx.now - datetime.timedelta(days=settings.ZQ_INSPECT_PROBE_WINDOW_DAYS)
    earlier = list(
        InspectionRun.objects.filter(site=ctx.site, started__gte=since).values_list("details__probe__ok", flat=True)
    )
    results = [bool(ok) for ok in earlier] + [bool(ctx.probe.get("ok"))]
    failed = results.count(False)
    ratio = failed / len(results)
    if ratio < settings.ZQ_INSPECT_PROBE_FAIL_RATIO:
        return []
    return [
        Finding(
            "availability",
            _("站点无法访问"),
            VETO,
            _(
                "近%(days)d天首页探测%(total)d次，失败%(failed)d次（%(ratio).1f%%），本次：状态%(status)s，用时%(seconds)s秒。"
            )
            % {
                "days": settings.ZQ_INSPECT_PROBE_WINDOW_DAYS,
                "total": len(results),
                "failed": failed,
                "ratio": 100 * ratio,
                "status": ctx.probe.get("status"),
                "seconds": ctx.probe.get("seconds"),
            },
            url="/",
        )
    ]
