"""``manage.py scheduler``: run due scheduled jobs every ``--interval`` seconds (or ``--once``).

Safe to run on several machines at once (see ``jobs.scheduler``)."""

from __future__ import annotations

import signal
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from jobs.scheduler import jobs, run_due


class Command(BaseCommand):
    help = "定时任务调度进程：到期任务每个时间段只执行一次，可在多台机器上同时运行。"

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="执行一轮到期任务后退出")
        parser.add_argument("--interval", type=float, default=30.0, help="检查间隔（秒，默认 30）")
        parser.add_argument("--job", action="append", default=None, help="只运行这些任务（可重复）")
        parser.add_argument("--list", action="store_true", help="列出已登记的定时任务")

    def handle(self, *args, once: bool, interval: float, job: list[str] | None, list: bool, **options):
        if list:
            for item in jobs():
                self.stdout.write(f"{item.name}\t每 {item.every}\t{item.title}")
            return
        known = {item.name for item in jobs()}
        only = set(job) if job else None
        if only and only - known:
            raise CommandError(f"未登记的定时任务：{', '.join(sorted(only - known))}")
        if interval <= 0:
            raise CommandError("--interval 必须大于 0")
        running = {"on": True}

        def stop(_signum, _frame) -> None:
            running["on"] = False

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        while running["on"]:
            close_old_connections()
            for name in run_due(only=only):
                self.stdout.write(f"已执行：{name}")
            if once:
                return
            slept = 0.0
            while running["on"] and slept < interval:
                time.sleep(min(1.0, interval))
                slept += 1.0
