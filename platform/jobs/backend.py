"""The task backend: django-tasks-db's queue table, plus the tenant schema each task was queued from.

Why a subclass: Wagtail 8 queues its own tasks (reference index updates, focal points, file deletes)
with ids and paths that only mean something inside one site's schema, and never says which. The
web process knows: ``connection.schema_name`` is the site of the request (or of the
``schema_context`` a command entered). Recording it at enqueue time, in the same transaction as the
queue row, lets the worker (``jobs.worker``) run every task in its site, whoever queued it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import connection
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from jobs.models import TaskSite


def current_schema() -> str:
    return getattr(connection, "schema_name", None) or "public"


def max_attempts() -> int:
    return max(1, int(getattr(settings, "ZQ_TASK_MAX_ATTEMPTS", 3)))


class SchemaDatabaseBackend(DatabaseBackend):
    """``DatabaseBackend`` whose queue rows carry the enqueuing schema (``TaskSite``)."""

    def _task_to_db_task(self, task, args, kwargs) -> DBTaskResult:  # type: ignore[override]
        db_result = super()._task_to_db_task(task, args, kwargs)
        TaskSite.objects.create(result=db_result, schema_name=current_schema(), max_attempts=max_attempts())
        return db_result

    async def _atask_to_db_task(self, task, args, kwargs) -> DBTaskResult:  # type: ignore[override]
        db_result = await super()._atask_to_db_task(task, args, kwargs)
        await TaskSite.objects.acreate(result=db_result, schema_name=current_schema(), max_attempts=max_attempts())
        return db_result

    def options_summary(self) -> dict[str, Any]:
        return {"max_attempts": max_attempts()}
