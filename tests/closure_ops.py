"""Closed sites built by hand for the closure "ops" tests (redirect, verify, archive, report).

The plan/execute steps are another module's work; these tests need their *result*: X closed with
a live closure (REDIRECTING), P holding copies of X's pages in a section, and X's URL map. Built
directly here so redirect/verify/archive are tested on their own.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context
from wagtail.documents import get_document_model

from tenants.closure.addresses import site_url
from tenants.closure.models import Closure, ClosureItem, ClosureStatus, ClosureUrl, UrlKind
from tenants.content.models import ArticlePage, ColumnPage, HomePage
from tenants.models import Domain, Site, SiteStatus
from tenants.provisioning import SiteSpec, provision_site
from tests.helpers import publish_article

ARTICLES = [  # (X column, slug, title)
    ("news", "安全生产会议", "城关镇召开安全生产工作会议"),
    ("news", "spring-cleaning", "城关镇开展春季爱国卫生运动"),
    ("notices", "春节放假", "关于春节放假安排的通知"),
]
DOCUMENT_BYTES = "城关镇2026年财政预算公开表（测试附件）".encode() * 20


@dataclass
class ClosedSite:
    site: Site  # X
    target: Site  # P
    closure: Closure
    urls: dict[str, ClosureUrl] = field(default_factory=dict)  # by old path

    def url(self, path: str) -> ClosureUrl:
        return self.urls[path]


def township(slug: str, parent: Site, *, name: str = "青山县城关镇人民政府", aliases: list[str] | None = None) -> Site:
    spec = SiteSpec(
        name=name, slug=slug, kind="township", parent_slug=parent.slug, aliases=aliases or [f"{slug}-alias.localhost"],
        site_code="3301020001", organiser="青山县城关镇人民政府办公室",
    )  # fmt: skip
    site = provision_site(spec).site
    for column, article_slug, title in ARTICLES:
        publish_article(site, column, title, slug=article_slug, source="城关镇党政办")
    return site


def close_by_hand(
    x: Site, p: Site, *, section_slug: str = "城关镇", file_url: str = "", file_size: int | None = None
) -> ClosedSite:
    """What plan + execute leave behind: P's section with copies, the closure (REDIRECTING), X CLOSED."""
    base = site_url(p)
    section_url = f"{base}{section_slug}/"
    with schema_context(p.schema_name):
        home = HomePage.objects.get()
        section = home.add_child(instance=ColumnPage(title=x.name, slug=section_slug))
        columns = {}
        for column_slug, title in (("news", "工作动态"), ("notices", "通知公告")):
            columns[column_slug] = section.add_child(instance=ColumnPage(title=title, slug=column_slug))
        for column_slug, article_slug, title in ARTICLES:
            article = ArticlePage(title=title, slug=article_slug, body="<p>正文</p>", source="城关镇党政办")
            columns[column_slug].add_child(instance=article)
            article.save_revision().publish()
        document = get_document_model()(title="财政预算公开表")
        document.file.save("财政预算公开表.pdf", ContentFile(DOCUMENT_BYTES), save=False)
        document.save()
        document_url = f"{base.rstrip('/')}{document.url}"
    connection.set_schema_to_public()
    old_document = "/documents/7/财政预算公开表.pdf"
    plan = {"file_sizes": {old_document: len(DOCUMENT_BYTES)}}
    closure = Closure.objects.create(
        site=x, target=p, status=ClosureStatus.REDIRECTING, section_slug=section_slug, section_title=x.name,
        executed_at=timezone.now(), created_by="test-operator", plan=plan,
    )  # fmt: skip
    rows = [
        ("/", UrlKind.HOME, x.name, section_url),
        ("/news/", UrlKind.PAGE, "工作动态", f"{section_url}news/"),
        ("/news/?page=2", UrlKind.LIST, "工作动态", f"{section_url}news/?page=2"),
        ("/notices/", UrlKind.PAGE, "通知公告", f"{section_url}notices/"),
        ("/service/", UrlKind.PAGE, "便民服务", ""),  # no new home: 410 with the notice
        (old_document, UrlKind.DOCUMENT, "财政预算公开表", document_url),
    ]
    rows += [(f"/{c}/{s}/", UrlKind.PAGE, t, f"{section_url}{c}/{s}/") for c, s, t in ARTICLES]
    if file_url:
        old_image = f"/media/{x.schema_name}/original_images/镇徽.png"
        rows.append((old_image, UrlKind.IMAGE, "镇徽", file_url))
        if file_size is not None:
            plan["file_sizes"][old_image] = file_size
            closure.plan = plan
            closure.save(update_fields=["plan"])
    made = ClosureUrl.objects.bulk_create(
        ClosureUrl(
            closure=closure,
            site=x,
            path=path,
            kind=kind,
            title=title,
            new_url=new_url,
            status_code=301 if new_url else 410,
        )  # fmt: skip
        for path, kind, title, new_url in rows
    )
    ClosureItem.objects.create(closure=closure, kind="page", source_id="3", target_id=str(section.pk))
    x.status = SiteStatus.CLOSED
    x.closed_at = timezone.now()
    x.save(update_fields=["status", "closed_at"])
    return ClosedSite(site=x, target=p, closure=closure, urls={row.path: row for row in made})


def remove_sites(*sites: Site) -> None:
    """Committed tests clean up: closures first (they protect their sites), then domains and schemas."""
    connection.set_schema_to_public()
    ids = [s.pk for s in sites if s is not None]
    Closure.objects.filter(site_id__in=ids).delete()
    Closure.objects.filter(target_id__in=ids).delete()
    for site in Site.objects.filter(pk__in=ids).order_by("-pk"):
        Domain.objects.filter(tenant=site).delete()
        site.delete(force_drop=True)
