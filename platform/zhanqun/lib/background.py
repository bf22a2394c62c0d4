"""Long work started from a console screen (a bulk site import, a closure's execute or verify step)
runs in a background thread of the web process, so no request is held open for minutes.

Each job writes its own progress to its database row, which the screen polls, and every job is
resumable (a job lost with its process is started again from the screen). ``ZQ_BACKGROUND_RUNNER =
"inline"`` runs jobs in the caller instead (tests, whose transaction a thread could not see).
A real task worker replaces this with the many-machines work.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.conf import settings
from django.db import close_old_connections, connection

_running: set[str] = set()
_lock = threading.Lock()


def runs_inline() -> bool:
    return getattr(settings, "ZQ_BACKGROUND_RUNNER", "thread") == "inline"


def is_running(key: str) -> bool:
    """Whether a job with this key (or, for a key ending in ``:``, any key it starts) runs here."""
    with _lock:
        return any(running == key or (key.endswith(":") and running.startswith(key)) for running in _running)


def start(key: str, job: Callable[[], object]) -> bool:
    """Run ``job`` once per ``key`` at a time; False when a job with that key is already running."""
    if runs_inline():
        job()
        return True
    with _lock:
        if key in _running:
            return False
        _running.add(key)

    def target() -> None:
        try:
            job()
        finally:
            with _lock:
                _running.discard(key)
            close_old_connections()
            connection.close()

    threading.Thread(target=target, name=key, daemon=True).start()
    return True
