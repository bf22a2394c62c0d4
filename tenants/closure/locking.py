"""One process at a time works on a closure: an operator starting execute twice (the console and the
command), or a rollback while execute runs, would otherwise interleave their copies and deletions."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection
from django.utils.translation import gettext as _

LOCK_CLASS = 130001  # PostgreSQL advisory lock namespace of closures; the second key is the closure's id


@contextmanager
def exclusive(closure) -> Iterator[None]:
    """A session-level advisory lock: it goes with the connection, so a killed process never leaves it held."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_CLASS, closure.pk])
        if not cursor.fetchone()[0]:
            raise ValidationError(_("该关停任务正在另一进程中处理，请稍后查看进度。"))
    try:
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_CLASS, closure.pk])
        except DatabaseError:
            pass  # the connection is gone, and the lock with it
