"""Old task rows and scheduler runs are pruned by a scheduled job (issue #20): finished tasks past
their keep period go (failed ones are kept longer), anything queued or recent stays."""

from __future__ import annotations

import datetime

from django.db import connection
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from jobs import scheduler
from jobs.models import ScheduledRun, TaskSite
from tests.queue_tasks import note_schema_and_fail
from tests.worker_process import REAL_QUEUE


def _task(status: str | None, days_ago: int, path: str) -> str:
    """A queued task, then (when ``status``) marked finished ``days_ago`` days ago."""
    result = note_schema_and_fail.enqueue(path, 0)
    if status is not None:
        finished = timezone.now() - datetime.timedelta(days=days_ago)
        DBTaskResult.objects.filter(pk=result.id).update(status=status, finished_at=finished, started_at=finished)
    return str(result.id)


def test_the_daily_job_prunes_old_finished_tasks_and_old_runs_only(db, settings, tmp_path):
    settings.TASKS = REAL_QUEUE
    settings.ZQ_TASK_RESULT_KEEP_DAYS, settings.ZQ_FAILED_TASK_KEEP_DAYS = 14, 30
    settings.ZQ_SCHEDULED_RUN_KEEP_DAYS = 30
    connection.set_schema_to_public()
    log = str(tmp_path / "log")
    old_done = _task(TaskResultStatus.SUCCESSFUL, 15, log)
    recent_done = _task(TaskResultStatus.SUCCESSFUL, 13, log)
    failed_kept = _task(TaskResultStatus.FAILED, 20, log)  # past 14 days, but failures are kept 30
    old_failed = _task(TaskResultStatus.FAILED, 31, log)
    queued = _task(None, 0, log)
    DBTaskResult.objects.filter(pk=queued).update(enqueued_at=timezone.now() - datetime.timedelta(days=60))
    assert TaskSite.objects.filter(result_id=old_done).exists()  # the platform's row for it, cascaded below

    now = timezone.now()
    old_run = ScheduledRun.objects.create(job="clear_sessions", slot=now - datetime.timedelta(days=31), ok=True)
    recent_run = ScheduledRun.objects.create(job="clear_sessions", slot=now - datetime.timedelta(days=29), ok=True)

    job = scheduler._registry["prune_job_history"]
    assert job.every == datetime.timedelta(days=1)
    assert job.run() == "删除任务记录 2 条、定时任务执行记录 1 条"

    left = set(DBTaskResult.objects.values_list("id", flat=True))
    assert {str(pk) for pk in left} == {recent_done, failed_kept, queued}
    assert not TaskSite.objects.filter(result_id__in=[old_done, old_failed]).exists()
    assert set(ScheduledRun.objects.values_list("pk", flat=True)) == {recent_run.pk}
    assert not ScheduledRun.objects.filter(pk=old_run.pk).exists()


def test_without_a_database_queue_only_scheduler_runs_are_pruned(db, settings):
    settings.ZQ_SCHEDULED_RUN_KEEP_DAYS = 30
    connection.set_schema_to_public()
    ScheduledRun.objects.create(job="clear_sessions", slot=timezone.now() - datetime.timedelta(days=40))
    # the test settings run tasks immediately: nothing is stored, nothing to prune
    assert scheduler._registry["prune_job_history"].run() == "删除任务记录 0 条、定时任务执行记录 1 条"
