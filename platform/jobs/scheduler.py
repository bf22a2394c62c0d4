"""Scheduled jobs: one registry that apps add to, run by ``manage.py scheduler`` on any number of
machines, each due job run once per time slot and never two copies of one job at once.

Why two guards: a job's time slot (``now`` floored to its period) gets one ``ScheduledRun`` row
under a unique key, so of several schedulers waking up together exactly one runs the slot; and the
run holds a PostgreSQL advisory lock named after the job (``tenants.lib.pg.advisory_lock``), so a
run that outlasts its period is not joined by the next slot's run (that slot is skipped and taken
by the next tick after the lock is free). A scheduler that dies mid-run loses its lock with its
session; its slot row stays, marked unfinished, for operators to see.

Apps register their jobs from ``AppConfig.ready`` with ``@register(...)``.
"""

from __future__ import annotations

import datetime
import logging
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from jobs.models import ScheduledRun
from tenants.lib.pg import LockWaitTimeout, advisory_lock

logger = logging.getLogger("jobs.scheduler")
EPOCH = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
JobFunction = Callable[[], object]


@dataclass(frozen=True)
class ScheduledJob:
    name: str
    title: str
    every: datetime.timedelta
    run: JobFunction

    def slot(self, now: datetime.datetime) -> datetime.datetime:
        """The start of the period ``now`` falls in (periods counted from a fixed epoch)."""
        periods = (now - EPOCH) // self.every
        return EPOCH + periods * self.every


_registry: dict[str, ScheduledJob] = {}


def register(name: str, *, every: datetime.timedelta, title: str) -> Callable[[JobFunction], JobFunction]:
    """Add a job to the schedule (decorator). ``title`` is the Chinese name operators see."""

    def decorate(func: JobFunction) -> JobFunction:
        _registry[name] = ScheduledJob(name=name, title=title, every=every, run=func)
        return func

    return decorate


def jobs() -> list[ScheduledJob]:
    return sorted(_registry.values(), key=lambda job: job.name)


def runner_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def run_due(now: datetime.datetime | None = None, only: set[str] | None = None) -> list[str]:
    """Run every job whose current slot nobody has taken yet; returns the names this call ran."""
    now = now or timezone.now()
    ran = []
    for job in jobs():
        if only is not None and job.name not in only:
            continue
        if run_job(job, job.slot(now)):
            ran.append(job.name)
    return ran


def run_job(job: ScheduledJob, slot: datetime.datetime) -> bool:
    """Run ``job`` for ``slot`` unless another scheduler runs it now or already took the slot."""
    connection.set_schema_to_public()
    if ScheduledRun.objects.filter(job=job.name, slot=slot).exists():
        return False
    try:
        with advisory_lock(f"zq-scheduled-job:{job.name}", what=job.title, timeout=0):
            try:
                with transaction.atomic():
                    run = ScheduledRun.objects.create(job=job.name, slot=slot, runner=runner_name())
            except IntegrityError:
                return False
            try:
                output = job.run()
                ok = True
            except Exception as exc:  # noqa: BLE001 - recorded and logged; the next slot tries again
                logger.exception("Scheduled job %s failed", job.name)
                output, ok = f"{type(exc).__name__}: {exc}", False
            finally:
                connection.set_schema_to_public()
            ScheduledRun.objects.filter(pk=run.pk).update(
                finished_at=timezone.now(), ok=ok, output=str(output or "")[:10000]
            )
            return True
    except LockWaitTimeout:
        return False
