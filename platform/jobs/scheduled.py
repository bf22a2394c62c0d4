"""The jobs app's own scheduled job (``jobs.scheduler``): prune the history of the queue and the
scheduler, so that neither table grows without end on a cluster that runs thousands of tasks a day.

Finished task rows go through django-tasks-db's own ``prune_db_task_results`` (its query, its
definition of "finished"; our ``TaskSite`` rows go with them by cascade). Queued, running and
retrying tasks are never touched. Scheduler runs are ours: a slot row older than the keep period
has no use left (the unique key only guards the current slot).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.compat import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks_db.models import DBTaskResult

from jobs.models import ScheduledRun
from jobs.scheduler import register


@register("prune_job_history", every=datetime.timedelta(days=1), title="清理过期的任务与定时任务记录")
def prune_job_history() -> str:
    connection.set_schema_to_public()
    tasks = prune_task_results()
    runs = prune_scheduled_runs(timezone.now())
    return f"删除任务记录 {tasks} 条、定时任务执行记录 {runs} 条"


def prune_task_results() -> int:
    """Finished tasks older than ``ZQ_TASK_RESULT_KEEP_DAYS`` (failed ones: ``ZQ_FAILED_TASK_KEEP_DAYS``);
    0 when the queue is not the database backend (nothing is stored then)."""
    if not isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend):
        return 0
    before = DBTaskResult.objects.count()
    call_command(
        "prune_db_task_results",
        "--queue-name=*",
        f"--min-age-days={settings.ZQ_TASK_RESULT_KEEP_DAYS}",
        f"--failed-min-age-days={settings.ZQ_FAILED_TASK_KEEP_DAYS}",
        verbosity=0,
    )
    return max(0, before - DBTaskResult.objects.count())


def prune_scheduled_runs(now: datetime.datetime) -> int:
    cutoff = now - datetime.timedelta(days=settings.ZQ_SCHEDULED_RUN_KEEP_DAYS)
    deleted, _ = ScheduledRun.objects.filter(slot__lt=cutoff).delete()
    return deleted
