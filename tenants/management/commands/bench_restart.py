"""PostgreSQL restarted during a load run (issue #20): requests fail for the restart's duration only,
and nothing written is lost. Run by hand (``./zq bench restart``), never in tests.

Everything runs on a throwaway PostgreSQL of its own (the embedded one, in a temporary folder, on its
own socket and no TCP port): the project's database and any shared server are never touched. The
bench sets up a small platform there (``setup_platform``, two sites), starts gunicorn with production
settings against it, drives reads (a site's home page) and writes (the public 找错 form, a unique
token each), restarts PostgreSQL (``pg_ctl restart -m fast``) in the middle, and prints requests/s
before, during and after, the window in which requests failed against the restart's start and end,
the failures' status codes and pages, and how many confirmed writes are missing from the database.
Everything it started is stopped and its folders removed at the end.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg2
from django.conf import settings
from django.core.management.base import BaseCommand
from tqdm import tqdm

from tenants.bench import failures
from tenants.bench.servers import database_url, start_gunicorn, stop
from zhanqun.lib import embedded_db

ROOT = Path(settings.BASE_DIR)
SITE = ("bench-restart-a", "重启测试县人民政府")
OTHER_SITE = ("bench-restart-b", "重启测试区人民政府")
# Captchas the bench solves from the store (django-simple-captcha's own key generation, one process).
CAPTCHAS = (
    "import json; from captcha.models import CaptchaStore; "
    "keys = [CaptchaStore.generate_key() for _ in range({n})]; "
    "print(json.dumps(list(CaptchaStore.objects.filter(hashkey__in=keys).values_list('hashkey', 'response'))))"
)


class Command(BaseCommand):
    help = "数据库重启演练：一次性 PostgreSQL 上的站点在读写负载下重启数据库，报告失败窗口、状态码与写入丢失。"

    def add_arguments(self, parser):
        parser.add_argument("--before", type=float, default=10, help="重启前的负载秒数（默认 10）")
        parser.add_argument("--after", type=float, default=10, help="重启结束后的负载秒数（默认 10）")
        parser.add_argument("--readers", type=int, default=4, help="读并发连接数（默认 4）")
        parser.add_argument("--writers", type=int, default=2, help="写并发连接数（默认 2）")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn 进程数（默认 2，每进程 2 线程）")
        parser.add_argument("--captchas", type=int, default=3000, help="预先生成的验证码数＝最多写入次数")

    def handle(self, *args, **options):
        self.options = options
        workdir = Path(tempfile.mkdtemp(prefix="zq-bench-restart-"))
        where = embedded_db.layout(workdir / "var")
        server = None
        try:
            steps = tqdm(total=5, desc="准备", unit="步", file=sys.stderr)
            database = embedded_db.database_settings(workdir / "var")  # started here, ours alone
            url = database_url(database)
            env = self.env(url, workdir)
            steps.update()
            self.manage(["setup_platform", "--pool", "0"], env)
            steps.update()
            for slug, name in (SITE, OTHER_SITE):
                self.manage(["create_site", slug, "--name", name, "--kind", "county"], env)
            self.manage(["collectstatic", "--noinput", "-v0"], env)
            steps.update()
            printed = self.manage(["shell", "-c", CAPTCHAS.format(n=options["captchas"])], env)
            captchas = json.loads(printed.strip().splitlines()[-1])  # the last line: log lines may come first
            steps.update()
            base, server = self.start(env, workdir)
            steps.update()
            steps.close()
            self.run_load(base, captchas, where, database)
        finally:
            if server is not None:
                stop(server)
            embedded_db.stop(where)
            self.remove(workdir, where)

    # --- the run ---------------------------------------------------------------------------
    def run_load(self, base: str, captchas: list, where: embedded_db.Layout, database: dict) -> None:
        o = self.options
        host = f"{SITE[0]}.{settings.SITE_DOMAIN_SUFFIX}"
        load = failures.Load(base, host, captchas, o["readers"], o["writers"])
        self.stderr.write(f"负载中：重启前 {o['before']:.0f} 秒，重启，重启后 {o['after']:.0f} 秒 …")
        load.start()
        time.sleep(o["before"])
        restart_started = load.recorder.now()
        embedded_db.restart(where)
        restart_ended = load.recorder.now()
        time.sleep(o["after"])
        end = load.recorder.now()
        outcomes = load.finish()
        summary = failures.summarise(outcomes, restart_started, restart_ended, end)
        stored = self.stored_tokens(database)
        self.report(summary, outcomes, stored, host, load.captchas_ran_out)

    def stored_tokens(self, database: dict) -> set[str]:
        """The tokens of the bench's writes that are in the database (public schema: 互动 items)."""
        conn = psycopg2.connect(
            dbname=database["NAME"], user=database["USER"], host=database["HOST"], port=database["PORT"]
        )
        try:
            with conn.cursor() as cursor:
                pattern = failures.TOKEN_PREFIX + "%"
                cursor.execute("SELECT subject FROM interaction_item WHERE subject LIKE %s", [pattern])
                return {row[0] for row in cursor.fetchall()}
        finally:
            conn.close()

    def report(self, summary: failures.Summary, outcomes: list, stored: set[str], host: str, ran_out: bool) -> None:
        o = self.options
        start, end = summary.restart
        w = self.stdout.write
        w(
            "PostgreSQL 重启演练（一次性内置 PostgreSQL，pg_ctl restart -m fast）；"
            f"gunicorn {o['workers']} 进程 × 2 线程，生产配置，无 Redis（每个请求都查数据库）；"
            f"读 {o['readers']} 个连接 GET http://{host}/，"
            f"写 {o['writers']} 个连接 POST {failures.FORM_PATH}（找错表单，每次一个唯一标记）"
        )
        w("阶段 | 时长(秒) | 成功读 请求/秒 | 成功写 请求/秒 | 失败请求数")
        for phase in summary.phases:
            w(
                f"{phase.name} | {phase.seconds:.2f} | {phase.read_rate:.1f} | {phase.write_rate:.1f} | {phase.failed}"
            )
        w(f"重启：开始于第 {start:.2f} 秒，pg_ctl 返回于第 {end:.2f} 秒（用时 {end - start:.2f} 秒）")
        window = summary.window
        if window is None:
            w("失败请求：0")
        else:
            first, last = window
            w(
                f"失败请求 {len(summary.failures)} 个：最早一个开始于第 {first:.2f} 秒"
                f"（重启开始后 {first - start:+.2f} 秒），"
                f"最晚一个结束于第 {last:.2f} 秒（pg_ctl 返回后 {last - end:+.2f} 秒）"
            )
            codes = "，".join(f"{code}：{count}" for code, count in sorted(summary.statuses.items()))
            answered = [f for f in summary.failures if f.status is not None]
            w(
                f"失败的状态码 {codes}；其中显示“{failures.DATABASE_PAGE}”页面的 "
                f"{sum(f.database_page for f in answered)}/{len(answered)}，含 Traceback 的 "
                f"{sum(f.traceback for f in answered)}"
            )
        confirmed = failures.confirmed_tokens(outcomes)
        unconfirmed = failures.unconfirmed_tokens(outcomes)
        lost = confirmed - stored
        w(
            f"写入：得到成功回应 {len(confirmed)} 次，数据库中找到其中 {len(confirmed & stored)} 条"
            f" → 写入丢失 {len(lost)}；"
            f"失败回应的写入 {len(unconfirmed)} 次，其中实际已保存 {len(unconfirmed & stored)} 条"
            "（即提交已落库、回应前连接中断的情况）"
        )
        if ran_out:
            w(f"注意：预先生成的 {o['captchas']} 个验证码已用完，之后没有写入（加大 --captchas）")

    # --- processes -------------------------------------------------------------------------
    def env(self, url: str, workdir: Path) -> dict:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "zhanqun.settings.production",
            "SECRET_KEY": "bench-" + os.urandom(16).hex(),
            "DATABASE_URL": url,
            "SECURE_SSL_REDIRECT": "false",
            "PYTHONPATH": str(ROOT / "platform"),
            "STATIC_ROOT": str(workdir / "static"),
            "MEDIA_ROOT": str(workdir / "media"),
            "ZQ_INTERACTION_POSTS_PER_WINDOW": "0",  # the flood limit would refuse one address's writes
            "ZQ_POOL_SIZE": "0",
            "GUNICORN_CONTROL_SOCKET": "off",
            "GUNICORN_MAX_REQUESTS": "0",  # no worker recycling in the middle of the measurement
        }
        env.pop("REDIS_URL", None)
        return env

    def manage(self, args: list[str], env: dict) -> str:
        done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"manage.py {' '.join(args[:2])} 失败：\n{done.stderr[-3000:]}")
        return done.stdout

    def start(self, env: dict, workdir: Path) -> tuple[str, subprocess.Popen]:
        host = f"{SITE[0]}.{settings.SITE_DOMAIN_SUFFIX}"
        return start_gunicorn(env, workdir, workers=self.options["workers"], host=host, timeout=180)  # a loaded machine

    @staticmethod
    def remove(workdir: Path, where: embedded_db.Layout) -> None:
        """The temporary folder, and (as root) the cluster's folder and lock under the embedded root."""
        if where.created_root is not None:
            shutil.rmtree(where.data_dir.parent, ignore_errors=True)
            where.lock_file.unlink(missing_ok=True)
        shutil.rmtree(workdir, ignore_errors=True)
