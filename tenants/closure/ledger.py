"""The execute step's ledger (``ClosureItem``) and its progress report.

A ledger row is written in the same transaction as the copy it records: after a kill -9 or a lost
connection, what is in the ledger was copied and what is not was not, so a resumed run skips exactly
the former. Progress goes to the ``Closure`` row in short transactions of its own, at most every
``interval`` seconds, so the console can poll it without slowing the copy.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from django.utils import timezone

from tenants.closure.models import Closure, ClosureItem

ProgressCallback = Callable[[int, int, str], None]


def done(closure: Closure, kind: str) -> dict[str, ClosureItem]:
    """The ledger rows of one kind, by source id."""
    return {item.source_id: item for item in ClosureItem.objects.filter(closure=closure, kind=kind)}


def targets(closure: Closure, kind: str) -> dict[int, int]:
    """source id -> target id of one kind (numeric ids: pages, images, documents)."""
    rows = ClosureItem.objects.filter(closure=closure, kind=kind).exclude(target_id="")
    return {int(source): int(target) for source, target in rows.values_list("source_id", "target_id")}


def write(closure: Closure, kind: str, rows: Iterable[tuple[object, object, dict]]) -> list[ClosureItem]:
    """Record (source id, target id, data) rows; call inside the transaction that made the copies."""
    now = timezone.now()
    items = [
        ClosureItem(
            closure=closure, kind=kind, source_id=str(source), target_id=str(target or ""), data=data, done_at=now
        )
        for source, target, data in rows
    ]
    return ClosureItem.objects.bulk_create(items)


class Progress:
    """``closure.step/progress_done/progress_total`` kept current, plus an optional callback (a bar)."""

    def __init__(self, closure: Closure, callback: ProgressCallback | None, *, interval: float = 0.5) -> None:
        self.closure = closure
        self.callback = callback
        self.interval = interval
        self.step = ""
        self.done = 0
        self.total = 0
        self._written = 0.0

    def start(self, total: int, done: int) -> None:
        self.total, self.done = total, done
        self._write(force=True)

    def begin(self, step: str) -> None:
        self.step = step
        self._write(force=True)

    def advance(self, count: int = 1) -> None:
        self.done = min(self.total, self.done + count)
        self._write()

    def _write(self, force: bool = False) -> None:
        now = time.monotonic()
        if force or now - self._written >= self.interval:
            Closure.objects.filter(pk=self.closure.pk).update(
                step=self.step, progress_done=self.done, progress_total=self.total, updated_at=timezone.now()
            )
            self._written = now
        if self.callback is not None:
            self.callback(self.done, self.total, self.step)
