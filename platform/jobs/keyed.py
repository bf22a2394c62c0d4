"""Console jobs on the task queue: one job per key (``bulk-import-7``, ``closure-3:execute``) queued
or running at a time, across every web process and machine.

Why a wrapper task: the console's jobs are plain functions taking ids (they write their own progress
to their rows and are resumable), and the queue stores only a task path and JSON arguments. The key
travels as the first argument, so "is a job with this key queued or running?" is one query on the
queue table, whichever process asked."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.utils.module_loading import import_string
from django_tasks import task
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tenants.lib.pg import LockWaitTimeout, advisory_lock

TASK_PATH = "jobs.keyed.run_keyed"


@task()
def run_keyed(key: str, path: str, args: list) -> None:
    """Run the console job ``path(*args)`` (``key`` identifies it to ``queued_or_running``)."""
    import_string(path)(*args)


def queued_or_running(key: str) -> bool:
    """A job with ``key`` (or, for a key ending in ``:``, any key it starts) is queued or running."""
    active = DBTaskResult.objects.filter(
        task_path=TASK_PATH, status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
    )
    if key.endswith(":"):
        return active.filter(args_kwargs__args__0__startswith=key).exists()
    return active.filter(args_kwargs__args__0=key).exists()


def enqueue(key: str, func: Callable[..., object], *args) -> bool:
    """Queue ``func(*args)`` under ``key``; False when a job with that key is queued or running."""
    path = f"{func.__module__}.{func.__qualname__}"
    try:
        with advisory_lock(f"zq-keyed-job:{key}", what=key, timeout=5), transaction.atomic():
            if queued_or_running(key):
                return False
            run_keyed.enqueue(key, path, list(args))
    except LockWaitTimeout:
        return False
    return True
