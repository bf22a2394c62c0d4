"""Measurements behind ``manage.py bench_closure`` (never part of the tests' timings).

(a) The redirect table must not slow normal requests: a normal site's page requests/s through the
in-process WSGI handler with 0 ClosureUrl rows and with N rows (of another, closed site), side by
side in one run, plus that closed site's redirect answers/s.
(b) A generated site (pages, documents, images; bulk inserts where safe, small real files) closed
into its parent: time per step (plan, notice, execute, verify), then rolled back.

Every site made here is a bench site (slug ``bench-…``) and is dropped at the end, whatever happens.
"""

from __future__ import annotations

import hashlib
import importlib
import io
import random
import shutil
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.db.models import F
from django.utils import timezone
from django_tenants.utils import schema_context
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Page

from tenants.closure.models import Closure, ClosureStatus, ClosureUrl, UrlKind
from tenants.closure.verify import verify
from tenants.content.models import ArticlePage, ColumnPage, HomePage
from tenants.models import Domain, Site, SiteStatus
from tenants.provisioning import SiteSpec, provision_site

BY = "bench"
Log = Callable[[str], None]


@dataclass
class Rate:
    label: str
    requests: int
    seconds: float
    statuses: Counter

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def make_site(slug: str, name: str, kind: str, parent: Site | None = None) -> Site:
    spec = SiteSpec(name=name, slug=slug, kind=kind, parent_slug=parent.slug if parent else "")
    return provision_site(spec, by=BY).site


def drop_sites(*sites: Site | None) -> None:
    """Remove bench sites with their closures, domains, schemas and local media."""
    connection.set_schema_to_public()
    ids = [site.pk for site in sites if site is not None]
    Closure.objects.filter(site_id__in=ids).delete()
    Closure.objects.filter(target_id__in=ids).delete()
    for site in Site.objects.filter(pk__in=ids).order_by("-pk"):
        Domain.objects.filter(tenant=site).delete()
        site.delete(force_drop=True)
        if isinstance(default_storage, FileSystemStorage):
            shutil.rmtree(Path(settings.MEDIA_ROOT) / site.schema_name, ignore_errors=True)


# --- (a) requests/s -------------------------------------------------------------------------


def _environ(host: str, path: str) -> dict:
    return {
        "REQUEST_METHOD": "GET", "PATH_INFO": path.encode().decode("latin-1"), "QUERY_STRING": "",
        "SCRIPT_NAME": "", "SERVER_NAME": host, "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": host, "wsgi.input": io.BytesIO(), "wsgi.errors": sys.stderr, "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0), "wsgi.multithread": False, "wsgi.multiprocess": False, "wsgi.run_once": False,
    }  # fmt: skip


def serve(handler: WSGIHandler, label: str, host: str, paths: list[str], n: int, warmup: int = 20) -> Rate:
    """``n`` GETs through the WSGI handler, cycling over ``paths``, bodies read and closed."""
    statuses: Counter = Counter()

    def one(path: str) -> None:
        status: list[str] = []
        body = handler(_environ(host, path), lambda s, _headers, _exc=None: status.append(s))
        try:
            b"".join(body)
        finally:
            body.close()
        statuses[int(status[0].split()[0])] += 1

    for i in range(warmup):
        one(paths[i % len(paths)])
    statuses.clear()
    started = time.perf_counter()
    for i in range(n):
        one(paths[i % len(paths)])
    return Rate(label, n, time.perf_counter() - started, statuses)


def fill_redirects(closure: Closure, rows: int, target: str, batch: int = 5000) -> None:
    made = 0
    while made < rows:
        size = min(batch, rows - made)
        ClosureUrl.objects.bulk_create(
            ClosureUrl(closure=closure, site=closure.site, path=f"/news/{made + i}/", title=f"文章{made + i}",
                       new_url=f"{target}bench/news/{made + i}/", status_code=301, kind=UrlKind.PAGE)
            for i in range(size)
        )  # fmt: skip
        made += size
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {ClosureUrl._meta.db_table}")


def redirect_table_cost(requests: int, rows: int, log: Log) -> list[Rate]:
    normal = closed = None
    handler = WSGIHandler()
    try:
        normal = make_site("bench-normal", "测量用县政府", "county")
        closed = make_site("bench-closed", "测量用乡镇政府", "township", parent=normal)
        with schema_context(normal.schema_name):
            column = ColumnPage.objects.get(slug="news")
            article = column.add_child(instance=ArticlePage(title="测量文章", slug="measure", body="<p>正文</p>"))
            article.save_revision().publish()
        page_paths = ["/", "/news/", "/news/measure/"]
        host = normal.primary_domain
        rates = [serve(handler, "普通站点页面，跳转表 0 行", host, page_paths, requests)]
        log(f"写入 {rows} 条跳转记录……")
        started = time.perf_counter()
        closure = Closure.objects.create(
            site=closed, target=normal, status=ClosureStatus.REDIRECTING, section_slug="bench", section_title="测量"
        )
        fill_redirects(closure, rows, f"http://{host}/")
        Site.objects.filter(pk=closed.pk).update(status=SiteStatus.CLOSED)
        log(f"写入用时 {time.perf_counter() - started:.1f}s")
        rates.append(serve(handler, f"普通站点页面，跳转表 {rows} 行", host, page_paths, requests))
        sample = [f"/news/{i}/" for i in random.Random(1).sample(range(rows), min(rows, 1000))]
        closed_host = closed.primary_domain
        rates.append(serve(handler, f"关停站点的 301 跳转，跳转表 {rows} 行", closed_host, sample, requests))
        rates.append(serve(handler, f"关停站点的 410 公告，跳转表 {rows} 行", closed_host, ["/gone/"], requests))
        ClosureUrl.objects.filter(closure=closure).delete()
        rates.append(serve(handler, "普通站点页面，跳转表删除后 0 行", host, page_paths, requests))
        return rates
    finally:
        drop_sites(closed, normal)


# --- (b) a generated site closed into its parent --------------------------------------------


def _png() -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def generate_content(site: Site, *, pages: int, documents: int, images: int) -> None:
    """Bulk-insert ``pages`` live articles spread over the site's columns (tree paths computed as
    treebeard does), and ``documents``/``images`` with small real files in the site's storage."""
    now = timezone.now()
    with schema_context(site.schema_name):
        home = HomePage.objects.get()
        columns = list(ColumnPage.objects.child_of(home).order_by("path"))
        content_type = ContentType.objects.get_for_model(ArticlePage)
        per_column = {column.pk: [] for column in columns}
        for i in range(pages):
            per_column[columns[i % len(columns)].pk].append(i)
        for column in columns:
            numbers = per_column[column.pk]
            made = []
            for offset, i in enumerate(numbers, start=1):
                slug = f"文章-{i}"
                made.append(
                    Page(
                        title=f"测量文章第{i}篇",
                        draft_title=f"测量文章第{i}篇",
                        slug=slug,
                        content_type=content_type,
                        path=Page._get_path(column.path, column.depth + 1, column.numchild + offset),
                        depth=column.depth + 1,
                        numchild=0,
                        url_path=f"{column.url_path}{slug}/",
                        live=True,
                        first_published_at=now,
                        last_published_at=now,
                        locale_id=home.locale_id,
                        translation_key=uuid.uuid4(),
                    )  # fmt: skip
                )
            made = Page.objects.bulk_create(made)
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"INSERT INTO {ArticlePage._meta.db_table} (page_ptr_id, publish_date, source, summary, body) "
                    "VALUES (%s, %s, %s, %s, %s)",
                    [(page.pk, now.date(), "测量", "", f"<p>第{page.title}正文</p>") for page in made],
                )
            Page.objects.filter(pk=column.pk).update(numchild=F("numchild") + len(made))
        collection = Collection.get_first_root_node()
        files = []
        for i in range(documents):
            data = f"测量附件 {i}\n".encode() * 40
            name = default_storage.save(f"documents/附件-{i}.txt", ContentFile(data))
            digest = hashlib.sha1(data).hexdigest()
            document = get_document_model()(title=f"附件{i}", file=name, file_size=len(data), file_hash=digest)
            document.collection = collection
            files.append(document)
        get_document_model().objects.bulk_create(files)
        png, pictures = _png(), []
        for i in range(images):
            name = default_storage.save(f"original_images/图片-{i}.png", ContentFile(png))
            picture = get_image_model()(title=f"图片{i}", file=name, width=8, height=8, file_size=len(png))
            picture.file_hash, picture.collection = hashlib.sha1(png).hexdigest(), collection
            pictures.append(picture)
        get_image_model().objects.bulk_create(pictures)
    connection.set_schema_to_public()


def closure_steps() -> dict[str, Callable]:
    """The other steps' entry points (plan, notice, execute, rollback), looked up when (b) runs so
    part (a) works on a branch where they are not merged yet; a missing one is a clear error."""
    steps = {}
    for module, name in (("plan", "plan_closure"), ("notice", "start_notice"), ("execute", "execute"),
                         ("rollback", "rollback")):  # fmt: skip
        try:
            steps[name] = getattr(importlib.import_module(f"tenants.closure.{module}"), name)
        except (ImportError, AttributeError) as exc:
            raise LookupError(f"tenants.closure.{module}.{name} 不可用：{exc}") from exc
    return steps


def close_generated_site(*, pages: int, documents: int, images: int, log: Log) -> list[tuple[str, float, str]]:
    """Generate X under a fresh P, close it (plan → notice → execute → verify), roll back, drop both.
    Returns (step, seconds, note) per step."""
    steps = closure_steps()
    parent = site = None
    timings: list[tuple[str, float, str]] = []

    def timed(step: str, call: Callable, note: Callable = lambda _result: "") -> object:
        log(f"{step}……")
        started = time.perf_counter()
        result = call()
        timings.append((step, time.perf_counter() - started, note(result)))
        return result

    try:
        parent = make_site("bench-parent", "测量用县政府", "county")
        site = make_site("bench-town", "测量用镇政府", "township", parent=parent)
        timed(
            "生成站点内容",
            lambda: generate_content(site, pages=pages, documents=documents, images=images),
            lambda _r: f"{pages} 篇文章、{documents} 个文档、{images} 张图片",
        )
        closure = timed(
            "plan",
            lambda: steps["plan_closure"](site, parent, by=BY),
            lambda c: f"{ClosureUrl.objects.filter(closure=c).count()} 个旧地址",
        )
        closure = timed(
            "notice", lambda: steps["start_notice"](closure, by=BY, notice_days=0, reason="性能测量，不设公告期")
        )
        closure = timed("execute", lambda: steps["execute"](closure, by=BY))
        timed(
            "verify",
            lambda: verify(closure, by=BY),
            lambda r: f"{r['total']} 个地址，通过 {r['passed']}，未通过 {r['failed']}，{r['requests']} 次请求",
        )
        total = sum(seconds for step, seconds, _ in timings if step != "生成站点内容")
        timings.append(("合计（plan 至 verify）", total, ""))
        timed("rollback", lambda: steps["rollback"](Closure.objects.get(pk=closure.pk), by=BY, reason="性能测量结束"))
        return timings
    finally:
        drop_sites(site, parent)
