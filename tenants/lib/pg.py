"""PostgreSQL coordination between processes: advisory locks and work on a connection of its own.

Why advisory locks: template builds and pool refills run in many processes (web workers, the deploy's
``setup_platform``, CLI runs). A session-level advisory lock serialises them across all of those
without a table to lock, and PostgreSQL drops it by itself if a holder dies.

Why a separate connection: some work (running migrations into the template schema) cannot run
inside another transaction, and must not change the caller's search path. Running it in a short-lived
thread gives it Django's per-thread connection: it commits on its own, whatever the caller's state.
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
import time
from collections.abc import Callable, Iterator
from typing import TypeVar

from django.conf import settings
from django.db import DatabaseError, connection, connections
from django.utils.translation import gettext as _

T = TypeVar("T")
_POLL_SECONDS = 0.2


class LockWaitTimeout(RuntimeError):
    """Another process held the lock for longer than we were willing to wait."""


def lock_key(name: str) -> int:
    """A stable signed 64-bit key for ``pg_advisory_lock`` from a readable name."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


@contextlib.contextmanager
def advisory_lock(
    name: str, *, what: str = "", on_wait: Callable[[], None] = lambda: None, timeout: float | None = None
) -> Iterator[None]:
    """Hold the session-level advisory lock ``name`` on the current connection for the block.

    Waits (calling ``on_wait`` once) while another session holds it, for at most ``timeout`` seconds
    (``ZQ_LOCK_WAIT_SECONDS``, default 900: a template build at 500 sites takes minutes); ``what`` names
    the work for the message if that runs out."""
    key = lock_key(name)
    limit = timeout if timeout is not None else settings.ZQ_LOCK_WAIT_SECONDS
    deadline = time.monotonic() + limit
    told = False
    while not _try_lock(key):
        if not told:
            on_wait()
            told = True
        if time.monotonic() > deadline:
            message = _("等待另一个进程完成“%(what)s”已超过 %(seconds)d 秒，请稍后重试。")
            raise LockWaitTimeout(message % {"what": what or name, "seconds": limit})
        time.sleep(_POLL_SECONDS)
    try:
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
        except DatabaseError:
            connection.close()  # a broken session cannot unlock; ending it releases the lock


def _try_lock(key: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
        return bool(cursor.fetchone()[0])


def in_own_connection(work: Callable[[], T], *, name: str = "zq-db-work") -> T:
    """Run ``work`` on a fresh database connection (in a thread of its own) and return its result.

    Whatever transaction the caller is in, ``work`` runs outside it and commits by itself."""
    outcome: dict[str, object] = {}

    def target() -> None:
        try:
            outcome["value"] = work()
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
            outcome["error"] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=target, name=name, daemon=True)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]  # type: ignore[return-value]
