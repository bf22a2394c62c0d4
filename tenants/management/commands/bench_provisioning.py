"""Prints how long creating a site takes by each method. Run by hand (./zq bench), never in tests.

Every number is labelled with what was actually done: a site is counted under the method
``provision_site`` reports (a pool claim is never reported as a replay), and the refill time is
divided by the spares the refill really made (none made: said so, no number)."""

import statistics
import time
from collections import defaultdict

from django.core.management.base import BaseCommand
from django.db import connection

from tenants.models import Domain, Site, SpareSchema
from tenants.pool import fill_pool
from tenants.provisioning import SiteSpec, provision_site
from tenants.schema_template import ensure_template

LABELS = {"pool": "预建池认领", "template": "模板回放", "migrate": "逐个迁移"}


class Command(BaseCommand):
    help = "测量站点创建耗时：预建池认领、模板回放、逐个执行迁移（按实际方式统计；测量后删除测试站点）。"

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=5)

    def handle(self, *args, runs: int, **options):
        template = ensure_template(log=self.stdout.write)
        existing = Site.objects.exclude(schema_name="public").count()
        have = SpareSchema.objects.filter(state_hash=template.state_hash).count()
        self.stdout.write(
            f"已有站点 {existing} 个，预建池 {have} 个；每种方式创建 {runs} 个站点（进程内计时，不含 manage.py 启动）"
        )
        made: list[Site] = []
        by_method: dict[str, list[float]] = defaultdict(list)
        try:
            started = time.perf_counter()
            refilled = fill_pool(template, have + runs)
            refill_seconds = time.perf_counter() - started
            for prefix, method in (("pool", "template"), ("tpl", "replay"), ("mig", "migrate")):
                for i in range(runs):
                    slug = f"bench-{prefix}-{i}-{time.time_ns() % 10**6}"
                    spec = SiteSpec(name=f"测量站点{prefix}{i}", slug=slug, kind="county")
                    result = provision_site(spec, method=method)
                    made.append(result.site)
                    by_method[result.method].append(result.seconds)
                    connection.close()  # each site on a fresh session, as bulk creation does
            for method, seconds in by_method.items():
                self.stdout.write(
                    f"{LABELS[method]}（{method}）{len(seconds)} 个：中位数 {statistics.median(seconds):.3f}s  "
                    f"最小 {min(seconds):.3f}s  最大 {max(seconds):.3f}s"
                )
            if refilled:
                self.stdout.write(
                    f"预建池补充（提前完成，不计入创建）：新建 {refilled} 个，用时 {refill_seconds:.2f}s，"
                    f"每个 {refill_seconds / refilled:.3f}s"
                )
            else:
                self.stdout.write("预建池补充：未新建（另一进程正在补充或模板已被替换），无补充耗时可报。")
        finally:
            connection.set_schema_to_public()
            for site in made:
                Domain.objects.filter(tenant=site).delete()
                site.delete(force_drop=True)
