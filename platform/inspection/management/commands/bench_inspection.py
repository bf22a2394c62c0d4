"""How long a full 网站普查 of N sites takes, and what it costs the public pages while it runs
(issue #19: 1,000 sites in under 10 minutes, public pages not more than 10 % slower). Run by hand
(``./zq bench inspection``), never in tests.

1. Grows the database to ``--sites`` sites with the bulk path (``tenants.bulk.create_sites``, as
   ``bench_scale`` does; it keeps them) and gives each at least ``--pages`` articles dated today in
   its 新闻 column. Use a database of its own (``DATABASE_URL=…/zq_bench``).
2. Starts the production app server (gunicorn, ``--workers`` processes, page cache off: the worst
   case for the public pages) on loopback.
3. (a) Times one full inspection of every running site in this process, as the scheduler runs it
   (``inspect_sites``: ``ZQ_INSPECT_WORKERS`` threads at niceness ``ZQ_INSPECT_NICE``), with the
   home-page probes through the app in this process (``--probe process``, the default deployment's
   way: no ``ZQ_INSPECT_BASE_URL``) or over HTTP to that server (``--probe http``). Prints total,
   per site, queries of one site's run, and the checks that took longest (wall time summed over
   all sites).
4. (b) Loads one tenant page in ``--rounds`` alternating rounds of ``--seconds``: with an inspection
   running in another process (``manage.py inspect_sites``) and with that process stopped
   (SIGSTOP), and prints requests/s, p50/p99 and the slowdown.
"""

from __future__ import annotations

import datetime
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import schema_context
from tqdm import tqdm

from inspection import checks, services
from inspection.checks import availability as availability_check
from tenants.bench import load
from tenants.bench.servers import database_url, start_gunicorn, stop
from tenants.bulk import create_sites
from tenants.content.models import ArticlePage, ColumnPage
from tenants.platform_setup import ensure_platform_tenant
from tenants.provisioning import SiteSpec
from tenants.schema_template import ensure_template

ROOT = Path(settings.BASE_DIR)
PARAGRAPH = "为深入贯彻落实党中央、国务院关于加快推进政务服务标准化、规范化、便利化的决策部署，结合本县实际制定本方案。"


class Command(BaseCommand):
    help = "测量网站普查：N 个站点全部检查一遍的用时，以及普查进行时公众页面的变慢程度。"

    def add_arguments(self, parser):
        parser.add_argument("--sites", type=int, default=1000, help="站点数（不足则批量新建，默认 1000）")
        parser.add_argument("--pages", type=int, default=3, help="每个站点至少有几篇文章（默认 3）")
        parser.add_argument("--seconds", type=float, default=20, help="每次页面压测的秒数（默认 20）")
        parser.add_argument("--rounds", type=int, default=3, help="有/无普查交替的轮数（默认 3）")
        parser.add_argument("--connections", type=int, default=2, help="压测并发连接数（默认 2）")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn 进程数（默认 2）")
        parser.add_argument("--part", choices=["a", "b", "both"], default="both", help="只测 (a) 用时或 (b) 公众页面")
        parser.add_argument("--threads", type=int, help="普查线程数（默认 ZQ_INSPECT_WORKERS）")
        parser.add_argument("--nice", type=int, help="普查线程的 nice 值（默认 ZQ_INSPECT_NICE）")
        parser.add_argument(
            "--probe",
            choices=["http", "process"],
            default="process",
            help="首页探测：process 在普查进程内经应用处理（未设 ZQ_INSPECT_BASE_URL 时的默认做法），"
            "http 经 HTTP 访问应用服务器",
        )

    def handle(self, *args, **options):
        self.options = options
        if options["threads"] is not None:
            settings.ZQ_INSPECT_WORKERS = options["threads"]
        if options["nice"] is not None:
            settings.ZQ_INSPECT_NICE = options["nice"]
        ensure_platform_tenant()
        ensure_template(log=self.stdout.write)
        self.stdout.write(f"数据库 {connection.settings_dict['NAME']}；机器负载 {_load()}")
        self._grow_to(options["sites"])
        self._add_pages(options["pages"])
        with tempfile.TemporaryDirectory(prefix="bench-inspection-") as workdir:
            base, server = self._start_server(Path(workdir))
            try:
                if options["part"] in ("a", "both"):
                    self._full_run(base)
                if options["part"] in ("b", "both"):
                    self._public_pages(base)
            finally:
                stop(server)
        self.stdout.write(f"结束时机器负载 {_load()}")

    # --- data -------------------------------------------------------------------------------
    def _grow_to(self, target: int) -> None:
        have = services.inspectable_sites().count()
        if have >= target:
            self.stdout.write(f"已有 {have} 个运行中的站点，未新建")
            return
        stamp = time.time_ns() % 10**8
        rows = [
            (i, SiteSpec(name=f"普查测试站点{stamp}-{i}", slug=f"insp-{stamp}-{i}", kind="county"))
            for i in range(target - have)
        ]
        started = time.perf_counter()
        created, errors = create_sites(rows, pool_size=settings.ZQ_POOL_SIZE)
        connection.set_schema_to_public()
        seconds = time.perf_counter() - started
        self.stdout.write(f"新建 {len(created)} 个站点，用时 {seconds:.0f} 秒；失败 {len(errors)}")

    def _add_pages(self, pages: int) -> None:
        today = timezone.localdate()
        added = 0
        for site in tqdm(list(services.inspectable_sites()), desc="补充文章", unit="站"):
            with schema_context(site.schema_name):
                column = ColumnPage.objects.filter(slug="news").first()
                if column is None:
                    continue
                for number in range(ArticlePage.objects.child_of(column).count(), pages):
                    body = "".join(f"<p>{PARAGRAPH}（第{p}段）</p>" for p in range(1, 5))
                    body += '<p><a href="/news/">本站新闻</a></p>'  # a link the link check follows
                    article = column.add_child(
                        instance=ArticlePage(
                            title=f"{site.name}动态{number + 1}",
                            slug=f"insp-bench-{number + 1}",
                            publish_date=today - datetime.timedelta(days=number),
                            body=body,
                        )
                    )
                    article.save_revision().publish()
                    added += 1
        connection.set_schema_to_public()
        self.stdout.write(f"补充文章 {added} 篇（每站至少 {pages} 篇）")

    # --- the server -------------------------------------------------------------------------
    def _env(self, static_root: Path) -> dict:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "zhanqun.settings.production",
            "SECRET_KEY": "bench-" + os.urandom(16).hex(),
            "DATABASE_URL": database_url(connection.settings_dict),
            "SECURE_SSL_REDIRECT": "false",
            "PYTHONPATH": str(ROOT / "platform"),
            "ZQ_PAGE_CACHE_SECONDS": "0",
            "STATIC_ROOT": str(static_root),
            "GUNICORN_CONTROL_SOCKET": "off",
        }
        env.pop("REDIS_URL", None)
        return env

    def _start_server(self, workdir: Path) -> tuple[str, subprocess.Popen]:
        env = self._env(workdir / "static")
        collect = [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"]
        subprocess.run(collect, cwd=ROOT, env=env, check=True)
        base, process = start_gunicorn(env, workdir, workers=self.options["workers"], timeout=180)  # a loaded machine
        self.stdout.write(f"应用服务器 gunicorn {self.options['workers']} 进程，页面缓存关闭：{base}")
        return base, process

    # --- (a) one full inspection --------------------------------------------------------------
    def _full_run(self, base: str) -> None:
        if self.options["probe"] == "http":
            settings.ZQ_INSPECT_BASE_URL = base
        how = f"经 HTTP 访问应用服务器 {base}" if settings.ZQ_INSPECT_BASE_URL else "在本进程内经应用处理"
        sites = list(services.inspectable_sites())
        with CaptureQueriesContext(connection) as captured:
            services.run_inspection(sites[0])  # also warms templates and caches
        timings: defaultdict[str, float] = defaultdict(float)
        originals = dict(checks._checks)  # noqa: SLF001 - the bench times each registered check
        probe = availability_check.probe_home

        def timed(name, func):
            def wrapper(*args):
                started = time.perf_counter()
                try:
                    return func(*args)
                finally:
                    timings[name] += time.perf_counter() - started

            return wrapper

        for name, func in originals.items():
            checks._checks[name] = timed(name, func)  # noqa: SLF001
        availability_check.probe_home = timed("首页探测（probe）", probe)
        duty, settings.ZQ_INSPECT_DUTY = settings.ZQ_INSPECT_DUTY, 1.0  # (a) is the work itself, no rests
        try:
            with tqdm(total=len(sites), desc="网站普查", unit="站") as bar:
                started = time.perf_counter()
                runs = services.inspect_sites(sites, progress=lambda _site: bar.update(1))
                seconds = time.perf_counter() - started
        finally:
            checks._checks.update(originals)  # noqa: SLF001
            availability_check.probe_home = probe
            settings.ZQ_INSPECT_DUTY = duty
        failed = sum(1 for run in runs if run.verdict == "fail")
        self.stdout.write(
            f"(a) 全部 {len(sites)} 个站点普查一遍：{seconds:.1f} 秒（{seconds / 60:.1f} 分钟），"
            f"每站 {1000 * seconds / len(sites):.0f} 毫秒；成功记录 {len(runs)}，不合格 {failed}；"
            f"首页探测{how}；线程 {settings.ZQ_INSPECT_WORKERS}，nice {settings.ZQ_INSPECT_NICE}；"
            f"单站一次普查的 SQL 查询 {len(captured)} 条"
        )
        if 0 < duty < 1:
            paced = min(seconds / duty, max(seconds, 60 * settings.ZQ_INSPECT_PASS_MINUTES))
            self.stdout.write(
                f"    定时普查按 ZQ_INSPECT_DUTY={duty:g} 边查边歇"
                f"（超过 {settings.ZQ_INSPECT_PASS_MINUTES:g} 分钟后不再歇），"
                f"一轮约 {paced / 60:.1f} 分钟"
            )
        self.stdout.write("    各检查项用时（所有站点合计的墙钟时间，多线程时会重叠）：")
        for name, total in sorted(timings.items(), key=lambda item: -item[1]):
            self.stdout.write(f"    {name:<24} {total:8.1f} 秒  每站 {1000 * total / len(sites):6.1f} 毫秒")

    # --- (b) the public pages while an inspection runs ----------------------------------------
    def _public_pages(self, base: str) -> None:
        """Interleaved rounds on one tenant page: quiet (the inspecting process stopped with
        SIGSTOP), busy (running), quiet, busy …, so the machine's other load drifts into both alike."""
        site = services.inspectable_sites().first()
        host, path = site.primary_domain, "/news/"
        seconds, conns, rounds = self.options["seconds"], self.options["connections"], self.options["rounds"]
        load.run(base + path, host, 2, conns)  # warm up
        env = {
            **os.environ,
            "ZQ_INSPECT_BASE_URL": settings.ZQ_INSPECT_BASE_URL,
            "ZQ_INSPECT_WORKERS": str(settings.ZQ_INSPECT_WORKERS),
            "ZQ_INSPECT_NICE": str(settings.ZQ_INSPECT_NICE),
            "ZQ_INSPECT_DUTY": str(settings.ZQ_INSPECT_DUTY),
        }
        inspection = subprocess.Popen(
            [sys.executable, "manage.py", "inspect_sites"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        quiet, busy = [], []
        finished_early = False
        try:
            time.sleep(5)  # past its start-up, into the sites
            for _round in range(rounds):
                os.kill(inspection.pid, signal.SIGSTOP)
                quiet.append(load.run(base + path, host, seconds, conns))
                os.kill(inspection.pid, signal.SIGCONT)
                busy.append(load.run(base + path, host, seconds, conns))
                finished_early = finished_early or inspection.poll() is not None
        finally:
            if inspection.poll() is None:
                os.kill(inspection.pid, signal.SIGCONT)
            stop(inspection)
        tool = "wrk" if load.wrk_available() else "Python 循环"
        self.stdout.write(
            f"(b) 公众页面 http://{host}{path}（页面缓存关闭，{conns} 并发，{tool}），"
            f"{rounds} 轮交替，每轮各 {seconds:.0f} 秒；普查在另一进程（inspect_sites，"
            f"线程 {settings.ZQ_INSPECT_WORKERS}，nice {settings.ZQ_INSPECT_NICE}，"
            f"占空比 {settings.ZQ_INSPECT_DUTY:g}），"
            "无普查的轮次用 SIGSTOP 暂停它："
        )
        for label, results in (("无普查", quiet), ("普查进行中", busy)):
            rps = [r.rps for r in results]
            self.stdout.write(
                f"    {label}：{statistics.mean(rps):.1f} 次/秒（各轮 {' '.join(f'{x:.1f}' for x in rps)}），"
                f"p50 {statistics.median(r.p50_ms for r in results):.1f} 毫秒，"
                f"p99 {statistics.median(r.p99_ms for r in results):.1f} 毫秒，错误 {sum(r.errors for r in results)}"
            )
        quiet_rps, busy_rps = statistics.mean(r.rps for r in quiet), statistics.mean(r.rps for r in busy)
        slower = 100 * (quiet_rps - busy_rps) / quiet_rps if quiet_rps else 0.0
        paired = statistics.median(100 * (q.rps - b.rps) / q.rps for q, b in zip(quiet, busy, strict=True) if q.rps)
        note = "；普查在测量结束前已跑完，后面的轮次并无普查" if finished_early else ""
        self.stdout.write(
            f"    吞吐下降 {slower:.1f}%（各轮平均之比），相邻两轮之比的中位数 {paired:.1f}%（目标不超过 10%）{note}"
        )


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}（{os.cpu_count()} 核）"
