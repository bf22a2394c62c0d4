"""Tenant pages against plain single-site Wagtail 8, side by side in one run (issue #16, speed).

Starts three gunicorn servers with the same config on loopback (tenant platform with the page cache
off, the same with it on, and the plain Wagtail project of ``tenants.bench.plain`` on a database of
its own on the same PostgreSQL server), loads the same pages into both projects, checks that both
serve byte-identical HTML (a diff is printed otherwise), counts SQL statements per request through
Django's test client, then runs interleaved rounds (tenant, plain, tenant cached, ...) with wrk (or a
Python keep-alive loop) and prints requests/s and p50/p99 latency. Bounded: rounds × 6 × seconds.
"""

from __future__ import annotations

import difflib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from tenants.bench import content, load
from tenants.bench.servers import database_url, free_port, stop, wait_for_http
from tenants.content.models import ArticlePage, HomePage
from tenants.models import Site
from tenants.provisioning import SiteSpec, provision_site

ROOT = Path(settings.BASE_DIR)
PAGES = {"article": content.ARTICLE_PATH, "home": "/"}
TARGETS = [  # (label, server, page) in the order each round runs them
    ("tenant article uncached", "tenant", "article"),
    ("plain article", "plain", "article"),
    ("tenant article cached", "cached", "article"),
    ("tenant home uncached", "tenant", "home"),
    ("plain home", "plain", "home"),
    ("tenant home cached", "cached", "home"),
]
PLAIN_SETTINGS = "tenants.bench.plain.settings"


class Command(BaseCommand):
    help = "门户页面性能：租户站点（不缓存/缓存）与普通单站 Wagtail 同场对比，含每个请求的 SQL 语句数。"

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=float, default=5, help="每轮每项的压测秒数")
        parser.add_argument("--rounds", type=int, default=3, help="交替进行的轮数")
        parser.add_argument("--connections", type=int, default=8, help="并发连接数")
        parser.add_argument("--workers", type=int, default=2, help="每个 gunicorn 的进程数（三者相同）")
        parser.add_argument(
            "--redis-url", default=os.environ.get("REDIS_URL", ""), help="页面缓存与路由缓存共用的 Redis"
        )

    def handle(self, *args, **options):
        self.options = options
        if not options["redis_url"]:
            self.stderr.write(
                "未设置 REDIS_URL（或 --redis-url）：多进程下页面缓存和路由缓存不开启，结果不代表生产配置。"
            )
        if not load.wrk_available():
            self.stderr.write("未安装 wrk，改用内置的 Python 压测循环（数值偏低）：apt-get install wrk")
        self.log("准备租户站点内容 …")
        self.ensure_tenant_site()
        workdir = Path(tempfile.mkdtemp(prefix="zq-bench-portal-"))
        plain_url = self.ensure_plain_database()
        self.log("收集静态文件 …")
        static_root = workdir / "static"
        self.manage(["collectstatic", "--noinput", "-v0"], self.env("zhanqun.settings.production", static_root))
        servers = {}
        try:
            servers["tenant"] = self.start("tenant", workdir, static_root, page_cache=0)
            servers["cached"] = self.start("cached", workdir, static_root, page_cache=300)
            servers["plain"] = self.start("plain", workdir, static_root, page_cache=0, database=plain_url)
            identical = self.compare_html(servers)
            statements = self.count_statements(plain_url, static_root)
            results = self.measure(servers)
        finally:
            for _base, process in servers.values():
                stop(process)
        self.report(results, statements, identical)

    # --- content ---------------------------------------------------------------------------
    def ensure_tenant_site(self) -> None:
        site = Site.objects.filter(slug=content.SITE_FIELDS["slug"]).first()
        if site is None:
            site = provision_site(SiteSpec(**content.SITE_FIELDS)).site
        with schema_context(site.schema_name):
            if not ArticlePage.objects.filter(slug=content.MARKER_SLUG).exists():
                content.add_articles(HomePage.objects.get())
        connection.set_schema_to_public()

    def ensure_plain_database(self) -> str:
        settings_dict = dict(connection.settings_dict)
        settings_dict["NAME"] = f"{connection.settings_dict['NAME']}_bench_plain"[:63]
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [settings_dict["NAME"]])
            if cursor.fetchone() is None:
                cursor.execute(f'CREATE DATABASE "{settings_dict["NAME"]}"')
        url = database_url(settings_dict)
        self.log(f"准备普通 Wagtail 数据库 {settings_dict['NAME']} …")
        env = self.env(PLAIN_SETTINGS, None, database=url)
        self.manage(["migrate", "--noinput", "-v0"], env)
        self.manage(["bench_plain", "--load"], env)
        return url

    # --- servers ---------------------------------------------------------------------------
    def env(self, settings_module: str, static_root: Path | None, *, database: str = "", page_cache: int = 0) -> dict:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": settings_module,
            "SECRET_KEY": "bench-" + os.urandom(16).hex(),
            "DATABASE_URL": database or database_url(connection.settings_dict),
            "SECURE_SSL_REDIRECT": "false",
            "PYTHONPATH": str(ROOT / "platform"),
            "ZQ_PAGE_CACHE_SECONDS": str(page_cache),
            "ZQ_ROUTING_CACHE_SECONDS": "300" if self.options["redis_url"] else "0",
            "GUNICORN_CONTROL_SOCKET": "off",
        }
        if static_root is not None:
            env["STATIC_ROOT"] = str(static_root)
        if self.options["redis_url"]:
            env["REDIS_URL"] = self.options["redis_url"]
            env["ZQ_CACHE_PREFIX"] = "zq-bench"
        else:
            env.pop("REDIS_URL", None)
        return env

    def manage(self, args: list[str], env: dict) -> str:
        done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"manage.py {' '.join(args)} 失败：\n{done.stderr[-3000:]}")
        return done.stdout

    def start(self, name: str, workdir: Path, static_root: Path, *, page_cache: int, database: str = ""):
        port = free_port()
        module = PLAIN_SETTINGS if name == "plain" else "zhanqun.settings.production"
        env = self.env(module, static_root, database=database, page_cache=page_cache)
        env.update(GUNICORN_BIND=f"127.0.0.1:{port}", GUNICORN_WORKERS=str(self.options["workers"]))
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", "deploy/gunicorn.conf.py"],
            cwd=ROOT,
            env=env,
            stdout=open(workdir / f"{name}.log", "w"),  # noqa: SIM115 - closed with the process
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        wait_for_http(base + "/", host=content.HOSTNAME)
        return base, process

    # --- checks ----------------------------------------------------------------------------
    @staticmethod
    def fetch(base: str, path: str) -> bytes:
        request = urllib.request.Request(base + path, headers={"Host": content.HOSTNAME})
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.read()

    def compare_html(self, servers) -> bool:
        identical = True
        for page, path in PAGES.items():
            tenant, plain = self.fetch(servers["tenant"][0], path), self.fetch(servers["plain"][0], path)
            cached = self.fetch(servers["cached"][0], path)
            if tenant != plain or cached != tenant:
                identical = False
                self.stdout.write(f"!! {page} 页面 HTML 不一致（租户 vs 普通 Wagtail）：")
                diff = difflib.unified_diff(
                    plain.decode().splitlines(), tenant.decode().splitlines(), "plain", "tenant", lineterm="", n=1
                )
                self.stdout.write("\n".join(list(diff)[:60]))
        if identical:
            self.log(f"HTML 逐字节一致：{', '.join(PAGES.values())}（{len(tenant)} / {len(plain)} 字节）")
        return identical

    def count_statements(self, plain_url: str, static_root: Path) -> dict:
        counts = {}
        client = Client(HTTP_HOST=content.HOSTNAME)
        routing = 300 if self.options["redis_url"] else 0  # the routing cache as the servers run it
        for label, page_cache in (("tenant", 0), ("cached", 300)):
            with override_settings(ZQ_ROUTING_CACHE_SECONDS=routing, ZQ_PAGE_CACHE_SECONDS=page_cache):
                for page, path in PAGES.items():
                    client.get(path)
                    with CaptureQueriesContext(connection) as captured:
                        client.get(path)
                    counts[(label, page)] = len(captured.captured_queries)
        connection.set_schema_to_public()
        plain_env = self.env(PLAIN_SETTINGS, static_root, database=plain_url)
        out = self.manage(["bench_plain", "--count", *PAGES.values()], plain_env)
        plain = json.loads(out.strip().splitlines()[-1])
        for page, path in PAGES.items():
            counts[("plain", page)] = plain[path]["statements"]
        return counts

    # --- load ------------------------------------------------------------------------------
    def measure(self, servers) -> dict:
        seconds, conns = self.options["seconds"], self.options["connections"]
        for server, _page in {(s, p) for _l, s, p in TARGETS}:
            for path in PAGES.values():
                load.run(servers[server][0] + path, content.HOSTNAME, 1, conns)  # warm every worker
        results: dict[str, list[load.Result]] = {label: [] for label, _s, _p in TARGETS}
        for round_number in range(1, self.options["rounds"] + 1):
            self.log(f"第 {round_number}/{self.options['rounds']} 轮 …")
            for label, server, page in TARGETS:
                results[label].append(load.run(servers[server][0] + PAGES[page], content.HOSTNAME, seconds, conns))
        return results

    def report(self, results: dict, statements: dict, identical: bool) -> None:
        tool = "wrk" if load.wrk_available() else "python"
        o = self.options
        self.stdout.write(
            f"\n门户性能（{tool}，{o['connections']} 并发，每项 {o['seconds']} 秒 × {o['rounds']} 轮交替，"
            f"gunicorn {o['workers']} 进程；中位数）"
        )
        self.stdout.write(f"{'':26}{'req/s':>9}{'× plain':>9}{'p50 ms':>9}{'p99 ms':>9}{'SQL/req':>9}{'errors':>8}")
        median = {label: statistics.median(r.rps for r in runs) for label, runs in results.items()}
        for label, server, page in TARGETS:
            runs = results[label]
            ratio = median[label] / median[f"plain {page}"] if median[f"plain {page}"] else 0
            self.stdout.write(
                f"{label:26}{median[label]:9.0f}{ratio:9.2f}{statistics.median(r.p50_ms for r in runs):9.2f}"
                f"{statistics.median(r.p99_ms for r in runs):9.2f}{statements[(server, page)]:9d}"
                f"{sum(r.errors for r in runs):8d}"
            )
        self.stdout.write("HTML 逐字节一致" if identical else "!! HTML 不一致：见上面的差异")

    def log(self, message: str) -> None:
        self.stderr.write(message)
