"""The warm pool: spare schemas replayed from the template ahead of time.

Claiming one is a row delete + ``ALTER SCHEMA … RENAME`` (~0.1 s) in the provisioning transaction,
so a rename rolls back with everything else if the rest of provisioning fails. ``SKIP LOCKED`` lets
concurrent provisioners each take a different spare without waiting on each other.
"""

from __future__ import annotations

import logging
import secrets
import threading
from collections.abc import Callable

from django.conf import settings
from django.db import connection, connections, transaction

from tenants.lib.pg import LockWaitTimeout, advisory_lock
from tenants.models import SchemaTemplate, SpareSchema
from tenants.schema_template import MAINTENANCE_LOCK, MAINTENANCE_WORK, ensure_template, replay_template

logger = logging.getLogger(__name__)


def fill_pool(
    template: SchemaTemplate,
    size: int,
    progress: Callable[[int], None] = lambda _n: None,
    *,
    lock_timeout: float | None = None,
) -> int:
    """Top the pool up to ``size`` spares of ``template``; drop spares of stale templates.

    One refill at a time across processes (the template build lock), so two refills never overfill;
    a template replaced by a newer build meanwhile gets no spares (they could never be claimed).
    ``lock_timeout`` bounds the wait for another refill (default ``ZQ_LOCK_WAIT_SECONDS``)."""
    with advisory_lock(MAINTENANCE_LOCK, what=MAINTENANCE_WORK, timeout=lock_timeout):
        if not SchemaTemplate.objects.filter(pk=template.pk, state_hash=template.state_hash).exists():
            return 0
        drop_stale_spares(template.state_hash)
        have = SpareSchema.objects.filter(state_hash=template.state_hash).count()
        made = 0
        for _ in range(max(0, size - have)):
            name = f"zq_spare_{secrets.token_hex(6)}"
            with transaction.atomic():
                replay_template(template, name)
                SpareSchema.objects.create(schema_name=name, state_hash=template.state_hash)
            made += 1
            progress(made)
        return made


def drop_stale_spares(state_hash: str) -> int:
    stale = list(SpareSchema.objects.exclude(state_hash=state_hash).values_list("schema_name", flat=True))
    with connection.cursor() as cursor:
        for name in stale:
            cursor.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
    SpareSchema.objects.filter(schema_name__in=stale).delete()
    return len(stale)


def claim_spare(state_hash: str, new_name: str) -> bool:
    """Rename one spare to ``new_name``; False when the pool is empty. Call inside a transaction."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""DELETE FROM {SpareSchema._meta.db_table}
                WHERE id = (SELECT id FROM {SpareSchema._meta.db_table} WHERE state_hash = %s
                            ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
                RETURNING schema_name""",
            [state_hash],
        )
        row = cursor.fetchone()
        if row is None:
            return False
        cursor.execute(f'ALTER SCHEMA "{row[0]}" RENAME TO "{new_name}"')
    return True


def top_up(size: int | None = None) -> int:
    """Refill the pool to ``size`` (default ``ZQ_POOL_SIZE``); the number of spares made.

    The scheduler calls this every few minutes on every machine, and bulk creation calls it in the
    background: when another process is already refilling (or building the template) it returns 0
    at once instead of queueing behind it — that refill does the same work."""
    target = settings.ZQ_POOL_SIZE if size is None else size
    try:
        return fill_pool(ensure_template(), target, lock_timeout=0)
    except LockWaitTimeout:
        return 0


class BackgroundTopUp:
    """Keeps the pool topped up from a thread while a bulk run claims spares in the foreground.

    Why: a claim is a rename (~0.1 s) while a replay writes ~300 relation files; on a busy machine
    most of a replay is waiting for the disk, so replaying the next spares while the foreground
    builds a site's pages overlaps the two. The thread's own connection is closed after every
    refill, so it never accumulates the catalog caches that make a long-lived session slower
    (see ``tenants.bulk``)."""

    def __init__(self, size: int, pause: float = 0.2) -> None:
        self.size = size
        self.pause = pause
        self.made = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="zq-pool-top-up", daemon=True)

    def __enter__(self) -> BackgroundTopUp:
        if self.size > 0:
            self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                try:
                    made = top_up(self.size)
                except Exception:  # noqa: BLE001 - the foreground replays instead; never stop a bulk run
                    logger.exception("background pool top-up failed")
                    made = 0
                finally:
                    connections.close_all()
                self.made += made
                if not made:
                    self._stop.wait(self.pause)
        finally:
            connections.close_all()
