"""Measure syndication (转载) of one resource to N sites, and how soon the sites serve it.

Everything happens in one transaction that is rolled back, so the database is left as it was. If
fewer than N sites have the column, the missing ones are created as bare Site rows whose schema
holds only a minimal page table with that one column (creating hundreds of full site schemas takes
minutes and is not what is measured): syndication checks the column on every target with one query
over their schemas, then is one INSERT into the public schema. The HTTP part uses the first and
last REAL sites (with full schemas, domains and the column), placed first and last in the list the
resource is syndicated to.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from wagtail.models import Page

from shared_library import services
from shared_library.columns import site_columns
from tenants.content.models import ColumnPage
from tenants.models import Site, SiteKind, SiteStatus


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "测量一条资源转载到 N 个站点所需时间，以及站点页面可访问所需时间（事务回滚，不留数据）。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--sites", type=int, default=500)
        parser.add_argument("--column", default="policy")

    def handle(self, *args, **options) -> None:
        connection.set_schema_to_public()
        n: int = options["sites"]
        column: str = options["column"]
        sites = list(
            Site.objects.exclude(schema_name="public")
            .exclude(kind=SiteKind.PLATFORM)
            .filter(status=SiteStatus.ACTIVE, domains__is_primary=True)
            .order_by("pk")
        )
        columns = site_columns(sites)
        real = [site for site in sites if column in columns[site.pk]]
        if len(real) < 2:
            raise CommandError(f"至少需要两个已建好且有“{column}”栏目的站点（可先运行 load_demo 或 create_site）。")
        try:
            with transaction.atomic():
                self._measure(n, real, column)
                raise Rollback
        except Rollback:
            self.stdout.write("（已回滚，未留下任何数据）")

    def _measure(self, n: int, real: list[Site], column: str) -> None:
        first, last = real[0], real[-1]
        others = [s for s in real if s not in (first, last)]
        started = time.perf_counter()
        missing = max(0, n - 2 - len(others))
        bare = Site.objects.bulk_create(
            Site(schema_name=f"bench_{i}", name=f"测量站点{i}", slug=f"bench-{i}", kind=SiteKind.DEPARTMENT)
            for i in range(missing)
        )
        for site in bare:
            self._bare_schema(site.schema_name, column)
        targets = [first, *(others + bare)[: n - 2], last]
        seconds = time.perf_counter() - started
        self.stdout.write(f"准备 {len(targets)} 个站点（其中新建只含栏目表的站点 {missing} 个）：{seconds:.2f}s")

        resource = services.create_resource(
            by="bench", site=None, publish=True, kind="policy", title="转载性能测量", body="<p>测量</p>"
        )
        client = Client()
        t0 = time.perf_counter()
        created = services.syndicate(resource, targets, column, by="bench", site=None)
        t_syndicate = time.perf_counter() - t0
        first_ok = self._wait_for(client, first, resource.pk, "转载性能测量", t0)
        last_ok = self._wait_for(client, last, resource.pk, "转载性能测量", t0)
        self.stdout.write(f"syndicate() 到 {created} 个站点：{t_syndicate * 1000:.1f} ms")
        self.stdout.write(f"第一个站点 {first.primary_domain} 返回 200：转载开始后 {first_ok * 1000:.1f} ms")
        self.stdout.write(f"最后一个站点 {last.primary_domain} 返回 200：转载开始后 {last_ok * 1000:.1f} ms")

        t1 = time.perf_counter()
        services.update_resource(resource, by="bench", site=None, title="转载性能测量（修改）")
        edit_first = self._wait_for(client, first, resource.pk, "转载性能测量（修改）", t1)
        edit_last = self._wait_for(client, last, resource.pk, "转载性能测量（修改）", t1)
        self.stdout.write(f"修改标题后两站显示新标题：{edit_first * 1000:.1f} ms / {edit_last * 1000:.1f} ms")

        t2 = time.perf_counter()
        services.withdraw(resource, "测量", by="bench", site=None)
        gone = [client.get(f"/library/{resource.pk}/", HTTP_HOST=s.primary_domain).status_code for s in (first, last)]
        connection.set_schema_to_public()
        self.stdout.write(f"撤回后两站返回 {gone}：{(time.perf_counter() - t2) * 1000:.1f} ms")

    def _bare_schema(self, schema: str, column: str) -> None:
        """A stand-in site schema: just the page and column tables the syndication check reads."""
        quote = connection.ops.quote_name
        pages, columns = quote(Page._meta.db_table), quote(ColumnPage._meta.db_table)
        link = quote(ColumnPage._meta.pk.column)
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE SCHEMA {quote(schema)}")
            cursor.execute(
                f"CREATE TABLE {quote(schema)}.{pages} (id integer PRIMARY KEY, slug varchar(255), "
                "title varchar(255), live boolean)"
            )
            cursor.execute(f"CREATE TABLE {quote(schema)}.{columns} ({link} integer)")
            cursor.execute(f"INSERT INTO {quote(schema)}.{pages} VALUES (1, %s, %s, true)", [column, column])
            cursor.execute(f"INSERT INTO {quote(schema)}.{columns} VALUES (1)")

    def _wait_for(self, client: Client, site: Site, pk: int, text: str, since: float, timeout: float = 30.0) -> float:
        while True:
            response = client.get(f"/library/{pk}/", HTTP_HOST=site.primary_domain)
            connection.set_schema_to_public()
            if response.status_code == 200 and text in response.content.decode():
                return time.perf_counter() - since
            if time.perf_counter() - since > timeout:
                raise CommandError(f"{site.primary_domain} 在 {timeout}s 内未返回 200（{response.status_code}）。")
            time.sleep(0.01)
