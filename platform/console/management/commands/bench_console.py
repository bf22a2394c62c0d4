"""Time the console's busiest screens (the site list, with filters, and the dashboard) at N sites.

Everything happens in one transaction that is rolled back, so the database is left as it was. The
sites are rows only (tenant rows, domains, roles, statistics rows, audit events) WITHOUT schemas: the
screens measured read the public schema only, which is the point of the statistics table.
"""

from __future__ import annotations

import datetime
import random
import statistics
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tenants.utils import get_public_schema_name

from audit.models import AuditEvent
from console.models import SiteStats
from identity import services
from identity.models import Account, SiteRole
from siteusers.models import User
from tenants.models import Domain, Site, SiteKind, SiteStatus
from tenants.platform_setup import ensure_platform_tenant

TARGET_MS = 300


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "测量站点列表（含筛选）和概况页在 N 个站点时的响应时间和查询数（事务回滚，不留数据）。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--sites", type=int, default=1000)
        parser.add_argument("--runs", type=int, default=5)

    def handle(self, *args, **options) -> None:
        connection.set_schema_to_public()
        try:
            with transaction.atomic():
                self._measure(options["sites"], options["runs"])
                raise Rollback
        except Rollback:
            self.stdout.write("（已回滚，未留下任何数据）")

    def _populate(self, n: int) -> dict[str, Site]:
        rng = random.Random(15)
        now = timezone.now()
        started = time.perf_counter()
        city = Site.objects.create(
            schema_name="bench_city", name="测量市人民政府", slug="bench-city", kind=SiteKind.CITY
        )
        counties = Site.objects.bulk_create(
            Site(schema_name=f"bench_county_{i}", name=f"测量第{i}县人民政府", slug=f"bench-county-{i}",
                 kind=SiteKind.COUNTY, parent=city, site_code=f"43{i:04d}0001")
            for i in range(min(20, n - 1))
        )  # fmt: skip
        statuses = (
            [SiteStatus.ACTIVE] * 90 + [SiteStatus.CLOSING] * 4 + [SiteStatus.CLOSED] * 4 + [SiteStatus.SUSPENDED] * 2
        )
        leaves = Site.objects.bulk_create(
            Site(
                schema_name=f"bench_site_{i}", name=f"测量站点{i}", slug=f"bench-site-{i}",
                kind=SiteKind.TOWNSHIP if i % 3 else SiteKind.DEPARTMENT, parent=rng.choice(counties),
                status=rng.choice(statuses), site_code=f"43{i:08d}"[:10],
            )
            for i in range(max(0, n - 1 - len(counties)))
        )  # fmt: skip
        everyone = [city, *counties, *leaves]
        Site.objects.filter(pk__in=[site.pk for site in everyone]).update(created_at=now)
        for site in everyone:  # spread creation over the last two years, for the timeline
            site.created_at = now - datetime.timedelta(days=rng.randint(0, 730))
        Site.objects.bulk_update(everyone, ["created_at"], batch_size=500)
        domains = [Domain(domain=f"{site.slug}.bench.localhost", tenant=site, is_primary=True) for site in everyone]
        domains += [Domain(domain=f"www-{site.slug}.bench.localhost", tenant=site, is_primary=False)
                    for site in everyone[::4]]  # fmt: skip
        Domain.objects.bulk_create(domains, batch_size=1000)
        SiteStats.objects.bulk_create(
            (SiteStats(site=site, page_count=rng.randint(8, 3000), pending_reviews=rng.choice([0, 0, 0, 1, 2, 5, 12]),
                       last_published_at=now - datetime.timedelta(hours=rng.randint(1, 24 * 60)))
             for site in everyone), batch_size=1000,
        )  # fmt: skip
        accounts = Account.objects.bulk_create(Account(username=f"bench-person-{i}", password="!") for i in range(n))
        SiteRole.objects.bulk_create(
            (SiteRole(account=account, site=rng.choice(everyone), role=rng.choice(["editor", "submitter"]))
             for account in accounts), batch_size=1000, ignore_conflicts=True,
        )  # fmt: skip
        AuditEvent.objects.bulk_create(
            (AuditEvent(action="publish", actor_username=f"bench-person-{i % n}", site=rng.choice(everyone),
                        object_repr=f"测量文章{i}") for i in range(5 * n)), batch_size=1000,
        )  # fmt: skip
        self.stdout.write(f"准备 {len(everyone)} 个站点行（无 schema）、{len(domains)} 个域名、{n} 个账号："
                          f"{time.perf_counter() - started:.2f}s")  # fmt: skip
        return {"county": counties[0]}

    def _operator_client(self) -> Client:
        account = services.create_account("bench-operator", "Qingshan#River2026", is_operator=True)
        client = Client(HTTP_HOST=settings.PLATFORM_DOMAIN)
        client.force_login(User.objects.get(username=account.username))
        return client

    def _time(self, client: Client, url: str, runs: int) -> tuple[float, int, int]:
        client.get(url)  # warm caches (templates, content types)
        samples, queries, status = [], 0, 0
        for _run in range(runs):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                samples.append((time.perf_counter() - started) * 1000)
            connection.set_schema_to_public()
            # django-tenants sets the search path before each query: count the queries themselves.
            queries = sum(1 for query in captured.captured_queries if not query["sql"].startswith("SET search_path"))
            status = response.status_code
        return statistics.median(samples), queries, status

    def _measure(self, n: int, runs: int) -> None:
        ensure_platform_tenant()
        named = self._populate(n)
        client = self._operator_client()
        index = reverse("console_sites:index")
        screens = [
            ("站点列表", index),
            ("站点列表：乡镇、运行中", f"{index}?kind=township&status=active"),
            ("站点列表：某县下级", f"{index}?parent={named['county'].pk}"),
            ("站点列表：搜索域名", f"{index}?q=site-99"),
            ("站点列表：按最近更新排序，第 5 页", f"{index}?ordering=stats__last_published_at&p=5"),
            ("站点树（全部站点）", reverse("console_sites:tree")),
            ("概况页（控制台首页）", reverse("wagtailadmin_home")),
        ]
        self.stdout.write(f"{'页面':<28}{'中位数 ms':>10}{'查询数':>8}{'状态':>6}")
        for label, url in screens:
            ms, queries, status = self._time(client, url, runs)
            flag = "" if ms < TARGET_MS else f"  ← 超过 {TARGET_MS} ms"
            self.stdout.write(f"{label:<28}{ms:>10.1f}{queries:>8}{status:>6}{flag}")
        connection.set_schema_to_public()
        assert connection.schema_name == get_public_schema_name()
