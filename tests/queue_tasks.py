"""Tasks the worker tests queue (module level, so the worker process can import them)."""

from __future__ import annotations

from pathlib import Path

from django.db import connection
from django_tasks import task


@task()
def note_schema_and_fail(path: str, failures: int) -> str:
    """Append the schema this attempt ran in to ``path``; fail the first ``failures`` attempts."""
    log = Path(path)
    with log.open("a") as handle:
        handle.write(connection.schema_name + "\n")
    attempts = len(log.read_text().splitlines())
    if attempts <= failures:
        raise RuntimeError(f"第 {attempts} 次尝试失败（测试）")
    return connection.schema_name


def write_marker(path: str, text: str) -> None:
    """A console-style job (a plain function taking JSON-able arguments)."""
    Path(path).write_text(text + "@" + connection.schema_name)
