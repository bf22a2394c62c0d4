"""One scheduler for the cluster, safe on many machines: each due job runs once per time slot, and
never two copies of one job at once. The scheduler commits, so these tests do too (rows removed)."""

from __future__ import annotations

import datetime
import subprocess
import sys
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from jobs import scheduler
from jobs.models import ScheduledRun
from tests.servers import ROOT
from tests.worker_process import worker_env


@pytest.fixture
def committed(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        ScheduledRun.objects.all().delete()
        try:
            yield
        finally:
            connection.set_schema_to_public()
            ScheduledRun.objects.all().delete()


def test_the_platform_jobs_are_registered(db):
    names = {job.name for job in scheduler.jobs()}
    assert {"pool_top_up", "clear_sessions", "closure_archive", "interaction_overdue"} <= names


def test_two_schedulers_started_together_run_a_due_job_once(committed, tmp_path):
    command = [sys.executable, "manage.py", "scheduler", "--once", "--job", "clear_sessions"]
    env = worker_env(tmp_path)
    processes = [
        subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outputs = [process.communicate(timeout=120) for process in processes]
    assert [process.returncode for process in processes] == [0, 0], outputs
    assert sum(out.count("已执行：clear_sessions") for out, _err in outputs) == 1
    runs = list(ScheduledRun.objects.filter(job="clear_sessions"))
    assert len(runs) == 1 and runs[0].ok is True and "schema" in runs[0].output
    assert runs[0].slot == scheduler._registry["clear_sessions"].slot(timezone.now())

    # The next tick in the same slot runs nothing; the next slot runs again.
    assert scheduler.run_due(only={"clear_sessions"}) == []
    later = timezone.now() + datetime.timedelta(days=1)
    assert scheduler.run_due(now=later, only={"clear_sessions"}) == ["clear_sessions"]


def test_a_job_still_running_is_not_started_again_for_the_next_slot(committed):
    started, release = threading.Event(), threading.Event()

    def slow() -> str:
        started.set()
        release.wait(30)
        return "done"

    job = scheduler.ScheduledJob(name="test_slow", title="测试", every=datetime.timedelta(minutes=1), run=slow)
    first_slot = job.slot(timezone.now())
    outcome = {}

    def run_first() -> None:
        try:
            outcome["first"] = scheduler.run_job(job, first_slot)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run_first)
    thread.start()
    assert started.wait(30)
    next_slot = first_slot + job.every
    assert scheduler.run_job(job, next_slot) is False  # the first run holds the job's lock
    release.set()
    thread.join(30)
    assert outcome["first"] is True
    assert list(ScheduledRun.objects.filter(job="test_slow").values_list("slot", "ok", "output")) == [
        (first_slot, True, "done")
    ]
    assert scheduler.run_job(job, next_slot) is True  # free again: the next tick takes the slot


def test_a_failing_job_is_recorded_with_its_error_and_does_not_stop_the_scheduler(committed):
    def broken() -> None:
        raise RuntimeError("存储不可用")

    job = scheduler.ScheduledJob(name="test_broken", title="测试", every=datetime.timedelta(hours=1), run=broken)
    assert scheduler.run_job(job, job.slot(timezone.now())) is True
    run = ScheduledRun.objects.get(job="test_broken")
    assert run.ok is False and "存储不可用" in run.output and run.finished_at is not None
