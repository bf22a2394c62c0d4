"""``manage.py db_worker``: django-tasks-db's worker command, running ``jobs.worker.SchemaWorker``.

This app comes before ``django_tasks_db`` in ``INSTALLED_APPS``, so this command replaces the
package's own of the same name: there is no way to start a worker that ignores task schemas."""

from __future__ import annotations

import os

from django.core.management.base import CommandError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker

from jobs.worker import SchemaWorker


class Command(db_worker.Command):
    help = "运行后台任务进程（每个任务在其所属站点的 schema 中执行，失败按退避重试）。"

    def handle(self, *, verbosity, queue_name, interval, batch, backend_name, startup_delay, reload,
               max_tasks, worker_id, exclude_queues, **options) -> None:  # fmt: skip
        self.configure_logging(verbosity)
        if reload and batch:
            reload = False
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues 只能与 --queue-name='*' 一起使用")
        worker = SchemaWorker(
            queue_names=queue_names, interval=interval, batch=batch, backend_name=backend_name,
            startup_delay=startup_delay, max_tasks=max_tasks, worker_id=worker_id, excluded_queue_names=excluded,
        )  # fmt: skip
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
