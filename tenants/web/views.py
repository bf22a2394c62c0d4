"""The public pages of the web conventions, on every site: robots.txt, sitemap.xml, 网站地图
(/sitemap/) and 联系我们 (/contact/). Thin: what they show comes from ``tenants.relations``,
``tenants.web.sitemaps`` and ``tenants.web.site_map``."""

from __future__ import annotations

import re

from django.contrib.sitemaps.views import sitemap as django_sitemap
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from tenants.relations import absolute_url, relations_for
from tenants.web.site_map import FIXED_SECTIONS, column_tree
from tenants.web.sitemaps import site_sitemaps

# Not for crawlers: the admin, and result/lookup pages that are endless or personal. Documents and
# media stay crawlable: published documents are public government information.
ICP_FILING_URL = "https://beian.miit.gov.cn/"
POLICE_FILING_URL = "https://beian.mps.gov.cn/#/query/webSearch?code="
ROBOTS_DISALLOW = ("/admin/", "/search/", "/hudong/chaxun/", "/ysqgk/chaxun/")


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *"]
    lines += [f"Disallow: {path}" for path in ROBOTS_DISALLOW]
    lines += ["Allow: /", "", f"Sitemap: {absolute_url(request.tenant, '/sitemap.xml', request)}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_safe
def sitemap_xml(request: HttpRequest) -> HttpResponse:
    return django_sitemap(request, sitemaps=site_sitemaps(request), template_name="web/sitemap.xml")


@require_safe
def site_map_page(request: HttpRequest) -> HttpResponse:
    """网站地图: the column tree, the fixed sections and the related sites of the cluster."""
    context = {
        "tree": column_tree(request),
        "sections": FIXED_SECTIONS,
        "relations": relations_for(request.tenant),
        "meta_title": "网站地图",
        "meta_description": f"{request.tenant.name}网站地图：栏目、政府信息公开、政务服务、互动交流和站群网站。",
    }
    return render(request, "web/site_map.html", context)


def filing_links(site) -> list[tuple[str, str, str]]:
    """``(label, value, link)`` of the identity rows 联系我们 shows (only filled ones); the filing
    numbers link to the national filing sites, as the footer's do."""
    police_digits = re.sub(r"\D", "", site.police_number)
    rows = [
        ("主办单位", site.organiser, ""),
        ("承办单位", site.operator, ""),
        ("联系方式", site.contact, ""),
        ("网站标识码", site.site_code, ""),
        ("ICP备案号", site.icp_number, ICP_FILING_URL),
        ("公安备案号", site.police_number, POLICE_FILING_URL + police_digits),
    ]
    return [row for row in rows if row[1]]


@require_safe
def contact_page(request: HttpRequest) -> HttpResponse:
    """联系我们: the site's identity as operators recorded it (only what is filled in)."""
    site = request.tenant
    context = {
        "rows": filing_links(site),
        "meta_title": "联系我们",
        "meta_description": f"{site.name}联系方式：主办单位、承办单位和联系电话。",
    }
    return render(request, "web/contact.html", context)
