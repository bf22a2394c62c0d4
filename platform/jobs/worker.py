"""The worker: django-tasks-db's loop, each task run inside the schema it was queued from, and a
failed attempt queued again with exponential backoff until ``TaskSite.max_attempts`` is used up.

Attempts are counted by the package itself: every claim appends the worker's id to
``DBTaskResult.worker_ids``, so ``len(worker_ids)`` is the number of attempts so far. A retry is the
same row set back to READY with a later ``run_after``; only the last attempt marks it FAILED.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_tasks_db.compat import TaskContext, TaskResultStatus, task_finished, task_started
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tenants.utils import schema_context, schema_exists

from jobs.models import TaskSite

logger = logging.getLogger("jobs")


def retry_delay(attempt: int) -> datetime.timedelta:
    """Backoff after the ``attempt``-th failure: base, 2×base, 4×base … capped at one hour."""
    base = float(getattr(settings, "ZQ_TASK_RETRY_SECONDS", 10))
    return datetime.timedelta(seconds=min(base * 2 ** (attempt - 1), 3600))


def task_schema(db_result: DBTaskResult) -> TaskSite:
    info = TaskSite.objects.filter(result=db_result).first()
    return info or TaskSite(result=db_result, schema_name="public", max_attempts=1)


class SchemaWorker(Worker):
    """``Worker`` whose ``run_task`` enters the task's schema and retries failures with backoff."""

    def run_task(self, db_task_result: DBTaskResult) -> None:
        info = task_schema(db_task_result)
        try:
            self.running_task = True
            task = db_task_result.task
            task_result = db_task_result.task_result
            backend_type = type(task.get_backend())
            if info.schema_name != "public" and not schema_exists(info.schema_name):
                raise LookupError(f"站点 schema {info.schema_name} 已不存在")
            with schema_context(info.schema_name):
                task_started.send(sender=backend_type, task_result=task_result)
                if task.takes_context:
                    value = task.call(TaskContext(task_result=task_result), *task_result.args, **task_result.kwargs)
                else:
                    value = task.call(*task_result.args, **task_result.kwargs)
            connection.set_schema_to_public()
            db_task_result.set_successful(value)
            task_finished.send(sender=backend_type, task_result=db_task_result.task_result)
        except Exception as exc:  # noqa: BLE001 - every failure is recorded on the row
            self._failed(db_task_result, info, exc)
        finally:
            connection.set_schema_to_public()
            self.running_task = False
            self._run_tasks += 1

    def _failed(self, db_task_result: DBTaskResult, info: TaskSite, exc: Exception) -> None:
        connection.set_schema_to_public()
        attempts = len(db_task_result.worker_ids)
        error = f"{type(exc).__name__}: {exc}"
        if info.pk is not None:
            TaskSite.objects.filter(pk=info.pk).update(last_error=error[:10000])
        if attempts < info.max_attempts:
            delay = retry_delay(attempts)
            logger.warning("Task %s failed (attempt %d), retrying in %s: %s", db_task_result.id, attempts, delay, error)
            DBTaskResult.objects.filter(pk=db_task_result.pk).update(
                status=TaskResultStatus.READY, run_after=timezone.now() + delay
            )
            return
        logger.error("Task %s failed after %d attempts: %s", db_task_result.id, attempts, error)
        db_task_result.set_failed(exc)
        try:
            task_finished.send(sender=type(db_task_result.task.get_backend()), task_result=db_task_result.task_result)
        except ImportError:
            pass
