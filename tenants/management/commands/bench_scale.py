"""How the platform's costs grow with the number of sites. Run by hand (./zq bench scale), never in tests.

At each step (default 10, 100, 300 sites) the database is grown to that many sites with the bulk
path (``tenants.bulk.create_sites``: fresh session a row, pool topped up in the background), then it
prints, each with what exactly was measured:

- bulk creation time per site for the rows added in that step (and how many were pool claims);
- a deploy with nothing to apply (``setup_platform``'s site step: recorded state compared);
- a tenant home page served in-process through the whole middleware stack (host routing included),
  median and p90 of N requests spread over 10 sites, and the SQL queries a request makes;
- what the sites cost PostgreSQL: pg_class rows and database size, per site.

Use an empty database of its own (``DATABASE_URL=…/zq_bench``): it keeps the sites it made.
"""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tenants.bulk import create_sites
from tenants.models import Site
from tenants.platform_setup import ensure_platform_tenant, migrate_sites
from tenants.provisioning import SiteSpec
from tenants.schema_template import ensure_template


class Command(BaseCommand):
    help = "测量站点数增长时的成本：批量创建、无变更部署、页面请求耗时与查询数、目录行数与库大小。"

    def add_arguments(self, parser):
        parser.add_argument("--steps", default="10,100,300", help="逐步增长到的站点数，逗号分隔（默认 10,100,300）")
        parser.add_argument("--requests", type=int, default=200, help="每一步测量的页面请求数（默认 200）")

    def handle(self, *args, steps: str, requests: int, **options):
        ensure_platform_tenant()
        ensure_template(log=self.stdout.write)
        name = connection.settings_dict["NAME"]
        self.stdout.write(f"数据库 {name}；每步页面请求 {requests} 次（进程内，含全部中间件）")
        self.stdout.write(
            "站点数 | 本步新建每站(秒) 池认领/回放 | 无变更部署(秒) | 首页中位数/p90(毫秒) | "
            "每请求 CPU 应用+数据库(毫秒) | 查询数 | "
            "pg_class 总行数（每新增一站） | 库大小 MB（每新增一站）"
        )
        previous: tuple[int, int, int] | None = None
        for target in [int(step) for step in steps.split(",") if step.strip()]:
            grown = self._grow_to(target)
            deploy = self._deploy_seconds()
            median, p90, cpu, backend_cpu, queries = self._request_cost(requests)
            count, rows, size = self._catalog()
            if previous and count > previous[0]:
                added = count - previous[0]
                per_rows, per_mb = (rows - previous[1]) / added, (size - previous[2]) / 1e6 / added
                marginal = f"（{per_rows:.0f}） | {size / 1e6:.0f}（{per_mb:.2f}）"
            else:
                marginal = f" | {size / 1e6:.0f}"
            previous = (count, rows, size)
            self.stdout.write(
                f"{count:6d} | {grown} | {deploy:.2f} | {median:.1f}/{p90:.1f} | {cpu:.1f}+{backend_cpu} | {queries} | "
                f"{rows}{marginal}"
            )

    def _sites(self):
        return Site.objects.exclude(schema_name="public")

    def _grow_to(self, target: int) -> str:
        have = self._sites().count()
        if have >= target:
            return "（已有，未新建）"
        stamp = time.time_ns() % 10**8
        rows = [
            (i, SiteSpec(name=f"规模测试站点{stamp}-{i}", slug=f"scale-{stamp}-{i}", kind="county"))
            for i in range(target - have)
        ]
        started = time.perf_counter()
        created, errors = create_sites(rows, pool_size=settings.ZQ_POOL_SIZE)
        seconds = time.perf_counter() - started
        if errors:
            self.stderr.write(f"{len(errors)} 行创建失败：{errors[0].message}")
        claimed = sum(r.method == "pool" for r in created)
        connection.set_schema_to_public()
        return f"{seconds / max(1, len(created)):.2f} {claimed}/{len(created) - claimed}"

    def _deploy_seconds(self) -> float:
        started = time.perf_counter()
        migrate_sites(log=lambda _m: None)
        return time.perf_counter() - started

    def _request_cost(self, requests: int) -> tuple[float, float, float, str, int]:
        """Wall median/p90 (ms), this process's CPU per request (ms), the database backend's CPU per
        request (ms, when the server runs on this machine: read from /proc), queries per request.

        CPU numbers are what to compare between steps on a shared machine: wall time moves with
        other processes' load, CPU per request much less."""
        sites = list(self._sites().order_by("?")[:10])
        hosts = [site.primary_domain for site in sites]
        clients = {host: Client(HTTP_HOST=host) for host in hosts}
        for host in hosts:  # warm each site once (templates, the site's root page)
            assert clients[host].get("/").status_code == 200, host
        seconds: list[float] = []
        backend_before = _backend_cpu()
        cpu_started = time.process_time()
        with CaptureQueriesContext(connection) as captured:
            reset_queries()
            for index in range(requests):
                host = hosts[index % len(hosts)]
                started = time.perf_counter()
                response = clients[host].get("/")
                seconds.append(time.perf_counter() - started)
                if response.status_code != 200:
                    self.stderr.write(f"{host}: {response.status_code}")
        cpu = 1000 * (time.process_time() - cpu_started) / requests
        backend_after = _backend_cpu()
        backend = "?"
        if backend_before and backend_after and backend_before[0] == backend_after[0]:
            backend = f"{1000 * (backend_after[1] - backend_before[1]) / requests:.1f}"
        connection.set_schema_to_public()
        ordered = sorted(seconds)
        median, p90 = 1000 * statistics.median(ordered), 1000 * ordered[int(0.9 * len(ordered))]
        return median, p90, cpu, backend, len(captured) // requests

    def _catalog(self) -> tuple[int, int, int]:
        """Sites, pg_class rows and database bytes (differences between steps give the cost of a site)."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_class")
            rows = cursor.fetchone()[0]
            cursor.execute("SELECT pg_database_size(current_database())")
            size = cursor.fetchone()[0]
        return self._sites().count(), rows, size


def _backend_cpu() -> tuple[int, float] | None:
    """(pid, CPU seconds) of this connection's PostgreSQL backend, when it runs on this machine."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return pid, (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
