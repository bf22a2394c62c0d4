"""Prints how long creating a site takes by each method. Run by hand (./zq bench), never in tests."""

import statistics
import time

from django.core.management.base import BaseCommand
from django.db import connection

from tenants.models import Domain, Site
from tenants.pool import fill_pool
from tenants.provisioning import SiteSpec, provision_site
from tenants.schema_template import ensure_template


class Command(BaseCommand):
    help = "测量站点创建耗时：预建池、模板回放、逐个执行迁移（测量后删除测试站点）。"

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=5)

    def handle(self, *args, runs: int, **options):
        template = ensure_template(log=self.stdout.write)
        existing = Site.objects.exclude(schema_name="public").count()
        self.stdout.write(f"已有站点 {existing} 个；每种方式创建 {runs} 个站点（进程内计时，不含 manage.py 启动）")
        made: list[Site] = []
        try:
            results = {}
            started = time.perf_counter()
            fill_pool(template, runs)
            pool_fill = (time.perf_counter() - started) / runs
            results["pool"] = self._run(made, "pool", runs, "template")
            results["template"] = self._run(made, "tpl", runs, "template")
            results["migrate"] = self._run(made, "mig", runs, "migrate")
            for method, seconds in results.items():
                self.stdout.write(
                    f"{method:9s} median {statistics.median(seconds):.3f}s  min {min(seconds):.3f}s  "
                    f"max {max(seconds):.3f}s"
                )
            self.stdout.write(f"(pool refill, per spare schema, done ahead of time: {pool_fill:.3f}s)")
        finally:
            connection.set_schema_to_public()
            for site in made:
                Domain.objects.filter(tenant=site).delete()
                site.delete(force_drop=True)

    def _run(self, made: list, prefix: str, runs: int, method: str) -> list[float]:
        seconds = []
        for i in range(runs):
            spec = SiteSpec(
                name=f"测量站点{prefix}{i}", slug=f"bench-{prefix}-{i}-{time.time_ns() % 10**6}", kind="county"
            )
            result = provision_site(spec, method=method)
            made.append(result.site)
            expected = {"pool": "pool", "tpl": "template", "mig": "migrate"}[prefix]
            if result.method != expected:
                self.stderr.write(f"注意：期望 {expected}，实际 {result.method}")
            seconds.append(result.seconds)
        return seconds
