"""A deploy migrates stale site schemas in parallel processes, each on its own connection, and
records each site's state as soon as that site is done (issue #20: a new migration at 1,000 sites
in under 5 minutes needs more than one core)."""

from __future__ import annotations

import os
from pathlib import Path

from django.db import connection
from django.db.migrations import RunPython
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from tenants import platform_setup
from tenants.models import Site
from tenants.platform_setup import SiteMigrationFailed, migrate_sites
from tenants.schema_template import migration_state_hash
from tests.test_provisioning_concurrency import committed


def _drop_newest_content_migration(schema: str) -> str:
    """Make ``schema`` lack its newest content migration (committed); returns that migration's name."""
    with connection.cursor() as cursor:
        cursor.execute(
            f'DELETE FROM "{schema}".django_migrations WHERE id = '
            f'(SELECT max(id) FROM "{schema}".django_migrations WHERE app = %s) RETURNING name',
            ["content"],
        )
        return cursor.fetchone()[0]


def _record_applied(schema: str, name: str) -> None:
    connection.set_schema(schema, include_public=False)
    try:
        MigrationRecorder(connection).record_applied("content", name)
    finally:
        connection.set_schema_to_public()


def test_stale_sites_are_migrated_by_several_processes_and_a_failure_spares_the_others(
    cluster, monkeypatch, tmp_path: Path
):
    """Two sites lack a migration that carries a data step (``RunPython``), so each site runs
    ``migrate_schemas`` for it: one migrates (in a child process, not the caller), the other's
    migration raises. Every other stale site is still checked and recorded; the failed one keeps its
    old state so the next deploy retries it; the error names it."""
    real_hash = migration_state_hash()
    new_hash = "e" * 64
    monkeypatch.setattr(platform_setup, "migration_state_hash", lambda: new_hash)
    good, bad = cluster["county_b"].schema_name, cluster["township"].schema_name
    journal = tmp_path / "migrated.txt"
    real_call = platform_setup.call_command

    def fake_migrate(name, *args, **kwargs):
        if name != "migrate_schemas" or not kwargs.get("schema_name"):
            return real_call(name, *args, **kwargs)
        schema = kwargs["schema_name"]
        with journal.open("a") as out:
            out.write(f"{os.getpid()} {schema}\n")
        if schema == bad:
            raise ValueError("模拟的迁移错误")
        _record_applied(schema, dropped[schema])  # what applying the missing migration records
        return None

    monkeypatch.setattr(platform_setup, "call_command", fake_migrate)
    newest = MigrationLoader(None, ignore_no_migrations=True).disk_migrations[("content", "0003_articlepage_cover")]
    monkeypatch.setattr(type(newest), "operations", [*type(newest).operations, RunPython(RunPython.noop)])
    dropped = committed(lambda: {schema: _drop_newest_content_migration(schema) for schema in (good, bad)})
    messages: list[str] = []
    try:
        error = committed(lambda: _run_expecting_failure(messages))
        assert bad in error and good not in error and "迁移失败" in error
        states = dict(Site.objects.exclude(schema_name="public").values_list("schema_name", "migration_state"))
        assert states[bad] != new_hash
        assert {state for schema, state in states.items() if schema != bad} == {new_hash}
        runs = [line.split() for line in journal.read_text().splitlines()]
        assert sorted(schema for _pid, schema in runs) == sorted([good, bad])
        assert all(int(pid) != os.getpid() for pid, _schema in runs)  # migrated in pool processes
        assert any("逐个执行迁移" in m and "RunPython" in m for m in messages)
        assert "2 个进程" in " ".join(messages) and any(bad in m and "模拟的迁移错误" in m for m in messages)
        # fixed, the next deploy migrates only the failed site
        monkeypatch.setattr(platform_setup, "call_command", real_call)
        committed(lambda: _record_applied(bad, dropped[bad]))
        report = committed(lambda: migrate_sites(log=lambda _m: None, processes=2))
        assert (report.stale, report.checked, report.migrated, report.failed) == (1, 1, 0, ())
        # inside a transaction other processes could not see uncommitted rows: one process is used
        assert migrate_sites(log=lambda _m: None, processes=4).processes == 1
    finally:
        monkeypatch.undo()
        committed(lambda: Site.objects.update(migration_state=real_hash))
        committed(lambda: [_ensure_recorded(schema, name) for schema, name in dropped.items()])


def _run_expecting_failure(messages: list[str]) -> str:
    """The error's text (``committed`` re-raises an exception returned to it)."""
    try:
        migrate_sites(log=messages.append, processes=2)
    except SiteMigrationFailed as exc:
        return str(exc)
    return "no error"


def _ensure_recorded(schema: str, name: str) -> None:
    connection.set_schema(schema, include_public=False)
    try:
        if not MigrationRecorder.Migration.objects.filter(app="content", name=name).exists():
            MigrationRecorder(connection).record_applied("content", name)
    finally:
        connection.set_schema_to_public()
