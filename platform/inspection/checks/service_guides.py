"""服务不实用 and 办事指南要素不全 (national rules, 2019).

"Complete" means every element of ``shared_library.guides.REQUIRED_ELEMENTS`` holds text (事项名称,
设定依据, 受理条件, 申请材料, 办理流程, 办理时限, 收费标准, 办理地点, 咨询电话: the national list; the
网上办理地址 is optional, as not every matter can be handled online). Publishing already refuses an
incomplete guide, so a live one lacks an element only when it was changed around the admin (an
import, a script) or the list grew; library guides the site shows are held to the same list.

Each incomplete guide deducts a point and is reported with where to fix it. The site fails 服务不实用
when it offers no service at all (no live guide and nothing in a service column:
``ZQ_INSPECT_REQUIRE_SERVICES``), when ``ZQ_INSPECT_INCOMPLETE_GUIDES`` guides are incomplete, or when
``ZQ_INSPECT_DEAD_SERVICE_ENTRIES`` service entries lead nowhere: the 政务服务 page (/banshi/) itself,
or a guide's 网上办理地址 (checked by the external links pass, or through the app when it is on the
site). One request per run plus one per on-site online address: the entries /banshi/ lists are
built from live pages, so they cannot point at a missing one.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from inspection import external
from inspection.checks import DEDUCTION, VETO, Context, Finding, check
from shared_library.guides import missing_elements
from shared_library.models import Resource, ResourceKind, Syndication
from tenants.content.models import ArticlePage, ColumnKind, ColumnPage
from tenants.services.models import ServiceGuidePage
from tenants.visits import INSPECTION_AGENT


def _guides(site) -> tuple[list[tuple[str, str, list[str], str]], bool]:
    """(title, edit URL, missing elements, online address) of each live guide the site shows, and
    whether the site offers any service at all."""
    rows = []
    with schema_context(site.schema_name):
        for guide in ServiceGuidePage.objects.live().order_by("path"):
            rows.append((guide.title, f"/admin/pages/{guide.pk}/edit/", missing_elements(guide), guide.online_url))
        columns = list(ColumnPage.objects.live().filter(kind=ColumnKind.SERVICE))
        offered = any(ArticlePage.objects.live().descendant_of(column).exists() for column in columns)
    slugs = [column.slug for column in columns]
    public = Resource.objects.public()
    offered = offered or Syndication.objects.filter(site=site, column_slug__in=slugs, resource__in=public).exists()
    for resource in Resource.objects.public().visible_on(site).filter(kind=ResourceKind.GUIDE).order_by("pk"):
        rows.append((resource.title, resource.get_path(), missing_elements(resource.guide or {}), ""))
    return rows, offered or bool(rows)


def _dead_entries(site, online: list[tuple[str, str]]) -> list[str]:
    """The service entries that do not open: /banshi/ and the guides' online addresses."""
    client = Client(HTTP_HOST=site.primary_domain, HTTP_USER_AGENT=INSPECTION_AGENT)
    own_hosts = {d.lower() for d in site.domains.values_list("domain", flat=True)}
    dead = []
    try:
        if client.get("/banshi/").status_code != 200:
            dead.append(_("政务服务页面 /banshi/"))
        cluster = external.cluster_hosts()
        broken = external.broken(url for _title, url in online if external.is_external(url, cluster))
        for title, url in online:
            host = (urlsplit(url).hostname or "").lower()
            if url in broken or (host in own_hosts and client.get(urlsplit(url).path or "/").status_code >= 400):
                dead.append(_("“%(title)s”的网上办理地址 %(url)s") % {"title": title, "url": url})
    finally:
        connection.set_schema_to_public()
    return dead


@check("service_guides")
def service_guides(ctx: Context) -> list[Finding]:
    rows, offered = _guides(ctx.site)
    incomplete = [row for row in rows if row[2]]
    findings = [
        Finding(
            "service_guide_incomplete",
            _("办事指南要素不全"),
            DEDUCTION,
            _("办事指南“%(title)s”缺少必备要素：%(missing)s。") % {"title": title, "missing": "、".join(missing)},
            url=edit,
            points=1,
        )
        for title, edit, missing, _online in incomplete
    ]
    dead = _dead_entries(ctx.site, [(title, online) for title, _edit, _missing, online in rows if online])
    reasons = []
    if settings.ZQ_INSPECT_REQUIRE_SERVICES and not offered:
        reasons.append(_("网站未提供任何办事服务（没有办事指南，办事服务栏目为空）"))
    if incomplete and len(incomplete) >= settings.ZQ_INSPECT_INCOMPLETE_GUIDES:
        reasons.append(_("%(n)d个办事指南缺少必备要素") % {"n": len(incomplete)})
    if dead and len(dead) >= settings.ZQ_INSPECT_DEAD_SERVICE_ENTRIES:
        reasons.append(_("%(n)d个办事入口无法打开：%(entries)s") % {"n": len(dead), "entries": "、".join(dead)})
    if reasons:
        url = incomplete[0][1] if incomplete else "/banshi/"
        findings.append(Finding("services_unusable", _("服务不实用"), VETO, "；".join(reasons) + "。", url=url))
    return findings
