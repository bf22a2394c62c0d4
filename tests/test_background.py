"""Console jobs in the background: one job per key at a time, the key freed when the job ends, and
"inline" running the job in the caller (what the scenario tests use)."""

from __future__ import annotations

import threading

from django.db import connection
from django_tasks_db.models import DBTaskResult

from jobs.keyed import TASK_PATH
from tests.queue_tasks import write_marker
from tests.servers import task_workers_paused
from tests.worker_process import REAL_QUEUE, run_worker_batch
from zhanqun.lib import background


def test_a_key_runs_once_at_a_time_and_is_freed_when_the_job_ends(settings):
    settings.ZQ_BACKGROUND_RUNNER = "thread"
    release, finished = threading.Event(), threading.Event()

    def job() -> None:
        release.wait(10)
        finished.set()

    assert background.start("closure-7:execute", job)
    assert background.is_running("closure-7:execute") and background.is_running("closure-7:")
    assert not background.is_running("closure-70:")
    assert not background.start("closure-7:execute", job)  # a second click while it runs
    release.set()
    assert finished.wait(10)
    for _ in range(100):
        if not background.is_running("closure-7:"):
            break
        threading.Event().wait(0.05)
    assert not background.is_running("closure-7:")


def test_inline_runs_the_job_in_the_caller(settings):
    settings.ZQ_BACKGROUND_RUNNER = "inline"
    ran = []
    assert background.start("bulk-import-1", lambda: ran.append(threading.current_thread()))
    assert ran == [threading.current_thread()]


def test_on_the_queue_a_key_is_queued_once_across_processes_and_a_worker_runs_it(
    settings, django_db_setup, django_db_blocker, tmp_path
):
    """The default runner: the job goes on the task queue; a second start with the same key is refused
    while it waits or runs (from any process: the check is on the queue table); the worker runs it."""
    settings.ZQ_BACKGROUND_RUNNER = "queue"
    settings.TASKS = REAL_QUEUE
    marker = tmp_path / "marker"
    with task_workers_paused(), django_db_blocker.unblock():
        connection.set_schema_to_public()
        try:
            assert background.start("closure-8:execute", write_marker, str(marker), "第一次")
            assert not background.start("closure-8:execute", write_marker, str(marker), "第二次")
            assert background.is_running("closure-8:execute") and background.is_running("closure-8:")
            assert not background.is_running("closure-80:")
            assert not marker.exists()  # queued, not run in the caller

            run_worker_batch(tmp_path)

            assert marker.read_text() == "第一次@public"
            assert not background.is_running("closure-8:")
            assert background.start("closure-8:execute", write_marker, str(marker), "再次")  # free again
        finally:
            DBTaskResult.objects.filter(task_path=TASK_PATH).delete()
