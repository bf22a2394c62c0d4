"""Console jobs in the background: one job per key at a time, the key freed when the job ends, and
"inline" running the job in the caller (what the scenario tests use)."""

from __future__ import annotations

import threading

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
