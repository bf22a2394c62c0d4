"""``manage.py bench_visits [--site SLUG] [--requests N] [--rounds R]``: what counting a page view
(``tenants.visits``) adds to a page cache hit.

Measured, with the cache the settings configure (run with ``REDIS_URL`` set, as production does):
1. ``visits.count()`` alone (an increment in memory), ``visits.flush()`` of one site's pending
   views (one ``INCRBY`` in the public key space, once per ``ZQ_VISITS_FLUSH_SECONDS`` per process),
   and ``store.lookup()`` of a stored page (what every cache hit already costs), each the median of
   N calls;
2. with ``--site``: whole anonymous requests for the site's home page through the full middleware
   stack (Django's test client, in process), all cache hits, counting on and off in interleaved
   rounds, the median per request of each.
"""

from __future__ import annotations

import statistics
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test import Client, override_settings

from tenants import visits
from tenants.models import Site
from tenants.pagecache import store

BENCH_SITE_ID = 2_000_000_000  # counters and entries under an id no site has


def _median_us(func, calls: int) -> float:
    times = []
    for _ in range(calls):
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1e6


class Command(BaseCommand):
    help = "访问量计数对页面缓存命中路径的开销（单次计数、缓存查找、整页请求计数开/关对比）。"

    def add_arguments(self, parser):
        parser.add_argument("--site", help="整页请求所用的站点（slug）；不给则只测单次计数与缓存查找")
        parser.add_argument("--requests", type=int, default=2000, help="每轮请求数（默认 2000）")
        parser.add_argument("--rounds", type=int, default=5, help="计数开/关交替的轮数（默认 5）")

    def handle(self, *args, **options):
        backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
        if not settings.REDIS_URL:
            self.stderr.write("未设置 REDIS_URL：测的是进程内存缓存，不代表生产配置。")
        calls = options["requests"]
        store.put(BENCH_SITE_ID, "/", "bench", 200, [], b"x" * 30_000)
        lookup = _median_us(lambda: store.lookup(BENCH_SITE_ID, "/"), calls)
        with override_settings(ZQ_VISITS_FLUSH_SECONDS=3600):
            count = _median_us(lambda: visits.count(BENCH_SITE_ID), calls)

        def count_and_flush() -> None:
            visits.count(BENCH_SITE_ID)
            visits.flush()

        flush = _median_us(count_and_flush, calls)
        self.stdout.write(f"缓存后端 {backend}；每项 {calls} 次调用的中位数")
        self.stdout.write(f"  store.lookup()（每次命中都要做）：{lookup:.1f} µs")
        self.stdout.write(f"  visits.count()（每次访问新增，内存计数）：{count:.1f} µs")
        self.stdout.write(f"  visits.flush()（每进程每 {settings.ZQ_VISITS_FLUSH_SECONDS:g} 秒一次）：{flush:.1f} µs")
        if not options["site"]:
            return
        site = Site.objects.filter(slug=options["site"]).first()
        if site is None:
            raise CommandError(f"没有站点“{options['site']}”。")
        results: dict[bool, list[float]] = {True: [], False: []}
        with override_settings(ZQ_PAGE_CACHE_SECONDS=300):
            client = Client(HTTP_HOST=site.primary_domain)
            if client.get("/").status_code != 200 or client.get("/").get("X-Cache") != "HIT":
                raise CommandError("首页未能从页面缓存命中（需要 Redis 与运行中的站点）。")
            for _round in range(options["rounds"]):
                for counting in (False, True):
                    with override_settings(ZQ_COUNT_VISITS=counting):
                        results[counting].append(_median_us(lambda: client.get("/"), calls))
        off, on = statistics.median(results[False]), statistics.median(results[True])
        self.stdout.write(
            f"整页命中请求（{site.slug} 首页，{options['rounds']} 轮 × {calls} 次，每轮中位数再取中位数）："
            f"计数关 {off:.1f} µs，计数开 {on:.1f} µs，差 {on - off:+.1f} µs（{100 * (on - off) / off:+.1f}%）"
        )
