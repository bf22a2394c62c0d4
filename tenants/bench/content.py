"""The bench's pages, built the same way in a tenant schema and in the plain project's database.

The site skeleton is the one every new site gets (``tenants.content.skeleton``); the articles are
deterministic (titles, slugs, dates, bodies), so both projects serve the same HTML byte for byte.
"""

from __future__ import annotations

import datetime

from django.db import transaction

from tenants.content.models import ArticlePage, ColumnPage, HomePage
from tenants.content.skeleton import build_skeleton
from tenants.models import Site

SITE_FIELDS = {
    "name": "示范县人民政府",
    "slug": "bench-portal",
    "kind": "county",
    "organiser": "示范县人民政府办公室",
    "operator": "示范县大数据中心",
    "contact": "0571-00000000",
    "site_code": "3301000001",
    "icp_number": "浙ICP备12345678号",
    "police_number": "浙公网安备33010000000001号",
}
HOSTNAME = "bench-portal.localhost"
ARTICLES_PER_COLUMN = 8
ARTICLE_PATH = "/news/bench-news-1/"
MARKER_SLUG = "bench-news-1"

_PARAGRAPH = (
    "为深入贯彻落实党中央、国务院关于加快推进政务服务标准化、规范化、便利化的决策部署，"
    "进一步优化营商环境，切实提升企业和群众办事体验，结合本县实际，制定本方案。"
)


def article_specs(column_slug: str) -> list[dict]:
    """The articles of one column: same titles, slugs, dates and bodies in both projects."""
    specs = []
    for number in range(1, ARTICLES_PER_COLUMN + 1):
        body = "".join(f"<p>{_PARAGRAPH}（第{number}篇，第{p}段）</p>" for p in range(1, 7))
        specs.append(
            {
                "title": f"示范县{column_slug}栏目第{number}篇信息",
                "slug": f"bench-{column_slug}-{number}",
                "publish_date": datetime.date(2026, 11, 1) + datetime.timedelta(days=number),
                "source": "示范县人民政府办公室",
                "summary": "",
                "body": body,
            }
        )
    return specs


def add_articles(home: HomePage) -> None:
    """Publish the articles under each column of ``home`` (in the current schema/database)."""
    for column in ColumnPage.objects.child_of(home):
        for spec in article_specs(column.slug):
            article = column.add_child(instance=ArticlePage(**spec))
            article.save_revision().publish()


@transaction.atomic
def build_plain_site() -> None:
    """The plain project's one site: skeleton, articles and the identity row the templates read."""
    home = build_skeleton(site_name=SITE_FIELDS["name"], hostname=HOSTNAME, kind=SITE_FIELDS["kind"])
    add_articles(home)
    Site.objects.all().delete()
    Site.objects.bulk_create([Site(schema_name="plain", **SITE_FIELDS)])  # bulk: no django-tenants save()
