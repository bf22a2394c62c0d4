"""The demo cluster: a city portal, two counties, a department and three townships, with the
cleaned articles from the project's seed texts. Idempotent: sites that exist are left alone."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from pathlib import Path

from django.utils import timezone
from django.utils.html import escape
from django_tenants.utils import schema_context

from tenants.content.models import ArticlePage, ColumnPage
from tenants.demo.closures import load_closures
from tenants.demo.people import load_people
from tenants.models import Site
from tenants.provisioning import SiteSpec, provision_site

ARTICLES_FILE = Path(__file__).with_name("articles.json")

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

# Which sites carry which columns' demo articles (townships have no policy columns of their own).
COLUMN_SITES = {
    "policy": ["jiangcheng", "qingshan", "baishui"],
    "interpretation": ["jiangcheng", "qingshan", "baishui", "jc-edu"],
    "news": ["jiangcheng", "qingshan", "baishui", "jc-edu", "qs-chengguan", "qs-hongyan", "bs-hekou"],
    "notices": ["qingshan", "baishui", "qs-chengguan", "qs-hongyan", "bs-hekou"],
    "service": ["qingshan", "baishui", "qs-chengguan", "bs-hekou"],
}


def load_articles() -> list[dict]:
    return json.loads(ARTICLES_FILE.read_text(encoding="utf-8"))["articles"]


def load_demo(log: Callable[[str], None] = print) -> list[Site]:
    sites = []
    for spec in DEMO_SITES:
        site = Site.objects.filter(slug=spec.slug).first()
        if site is None:
            result = provision_site(spec)
            site = result.site
            log(f"已创建 {site.name}（{result.method}，{result.seconds:.2f} 秒）")
            _fill_site(site)
        sites.append(site)
    load_people()
    load_closures(log)
    return sites


def _fill_site(site: Site) -> None:
    """Publish the demo articles meant for this site, dated over the last weeks (newest first)."""
    today = timezone.localdate()
    articles = [a for a in load_articles() if site.slug in COLUMN_SITES.get(a["column"], [])]
    with schema_context(site.schema_name):
        columns = {column.slug: column for column in ColumnPage.objects.all()}
        for age, article in enumerate(articles):
            column = columns.get(article["column"])
            if column is None:
                continue
            body = "".join(f"<p>{escape(p)}</p>" for p in article["paragraphs"])
            page = ArticlePage(
                title=article["title"],
                slug=article["slug"],
                summary=article["summary"],
                body=body,
                source=site.name,
                publish_date=today - datetime.timedelta(days=age * 2 % 40),
            )
            column.add_child(instance=page)
            page.save_revision().publish()
