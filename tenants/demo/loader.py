"""The demo cluster: a city portal, two counties, a department and three townships, each with its
own content (``tenants.demo.content``). Idempotent: sites that exist are left alone."""

from __future__ import annotations

import time
from collections.abc import Callable

from tenants.demo.closures import load_closures
from tenants.demo.content import fill_site
from tenants.demo.interaction import load_interaction_demo
from tenants.demo.people import load_people
from tenants.demo.reports import load_annual_reports
from tenants.models import Site
from tenants.provisioning import SiteSpec, provision_site

DEMO_SITES: list[SiteSpec] = [
    SiteSpec(
        name="江城市人民政府", slug="jiangcheng", kind="city", site_code="4201000001",
        icp_number="鄂ICP备05003384号-1", police_number="鄂公网安备42010202000301号",
        organiser="江城市人民政府办公室", operator="江城市大数据中心", contact="027-12345678",
    ),
    SiteSpec(
        name="青山县人民政府", slug="qingshan", kind="county", parent_slug="jiangcheng", theme="red",
        site_code="4201220001", organiser="青山县人民政府办公室", operator="青山县融媒体中心",
        aliases=["www-qingshan.localhost"],
    ),
    SiteSpec(
        name="白水县人民政府", slug="baishui", kind="county", parent_slug="jiangcheng", theme="green",
        site_code="4201230001", organiser="白水县人民政府办公室",
    ),
    SiteSpec(
        name="江城市教育局", slug="jc-edu", kind="department", parent_slug="jiangcheng",
        site_code="4201000012", organiser="江城市教育局",
    ),
    SiteSpec(
        name="青山县城关镇人民政府", slug="qs-chengguan", kind="township", parent_slug="qingshan",
        site_code="4201220101", organiser="青山县城关镇人民政府",
    ),
    SiteSpec(
        name="青山县红岩镇人民政府", slug="qs-hongyan", kind="township", parent_slug="qingshan",
        site_code="4201220102", organiser="青山县红岩镇人民政府",
    ),
    SiteSpec(
        name="白水县河口镇人民政府", slug="bs-hekou", kind="township", parent_slug="baishui",
        site_code="4201230101", organiser="白水县河口镇人民政府",
    ),
]  # fmt: skip


def load_demo(log: Callable[[str], None] = print) -> list[Site]:
    sites, created = [], []
    for spec in DEMO_SITES:
        site = Site.objects.filter(slug=spec.slug).first()
        if site is None:
            result = provision_site(spec)
            site = result.site
            log(f"已创建 {site.name}（{result.method}，{result.seconds:.2f} 秒）")
            created.append(site)
        sites.append(site)
    # Filled once every site exists: the city syndicates its documents down to the counties.
    for site in created:
        started = time.monotonic()
        fill_site(site)
        log(f"已填充 {site.name} 的演示内容（{time.monotonic() - started:.1f} 秒）")
    load_people()
    load_closures(log)
    load_interaction_demo(log)
    load_annual_reports(sites, log)
    return sites
