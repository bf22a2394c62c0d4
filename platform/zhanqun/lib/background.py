"""Long work started from a console screen (a bulk site import, a closure's execute or verify step)
runs away from the request that started it, so no request is held open for minutes.

Each job writes its own progress to its database row, which the screen polls, and every job is
resumable (a job lost with its process is started again from the screen). ``ZQ_BACKGROUND_RUNNER``:

- ``"queue"`` (default): the job goes on the task queue (``jobs.keyed``) and a worker
  (``manage.py db_worker``) runs it, on whichever machine; one job per key across the cluster.
- ``"thread"``: a background thread of the web process (one machine, no worker needed).
- ``"inline"``: in the caller (tests, whose transaction neither a thread nor a worker could see).

Jobs are module-level functions taking JSON-able arguments (ids), so they can be queued.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.conf import settings
from django.db import close_old_connections, connection

from jobs import keyed

_running: set[str] = set()
_lock = threading.Lock()


def runner() -> str:
    return getattr(settings, "ZQ_BACKGROUND_RUNNER", "queue")


def runs_inline() -> bool:
    return runner() == "inline"


def is_running(key: str) -> bool:
    """Whether a job with this key (or, for a key ending in ``:``, any key it starts) is queued or
    running (on the queue, or in a thread of this process)."""
    with _lock:
        if any(running == key or (key.endswith(":") and running.startswith(key)) for running in _running):
            return True
    return runner() == "queue" and keyed.queued_or_running(key)


def start(key: str, job: Callable[..., object], *args) -> bool:
    """Run ``job(*args)`` once per ``key`` at a time; False when a job with that key is already running."""
    mode = runner()
    if mode == "inline":
        job(*args)
        return True
    if mode == "queue":
        return keyed.enqueue(key, job, *args)
    with _lock:
        if key in _running:
            return False
        _running.add(key)

    def target() -> None:
        try:
            job(*args)
        finally:
            with _lock:
                _running.discard(key)
            close_old_connections()
            connection.close()

    threading.Thread(target=target, name=key, daemon=True).start()
    return True
