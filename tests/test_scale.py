"""Deploys and provisioning at scale: a deploy migrates only the sites whose recorded migration state
differs from the code's; bulk creation runs each row on a fresh session; the pool is topped up in the
background and by ``tenants.pool.top_up`` (which the scheduler calls)."""

from __future__ import annotations

import threading
import time

from django.core.management import call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.test.utils import CaptureQueriesContext

from tenants import platform_setup
from tenants.bulk import create_sites
from tenants.lib.pg import advisory_lock
from tenants.models import Site, SpareSchema
from tenants.platform_setup import cheap_recorder_check, migrate_sites
from tenants.pool import BackgroundTopUp, top_up
from tenants.provisioning import SiteSpec
from tenants.schema_template import MAINTENANCE_LOCK, ensure_template, migration_state_hash
from tests.test_provisioning_concurrency import committed, drop_sites, drop_spares, run_together


def _spy_migrations(monkeypatch, *, run: bool = True) -> list[str]:
    migrated: list[str] = []
    real = platform_setup.call_command

    def spy(name, *args, **kwargs):
        if name == "migrate_schemas" and kwargs.get("schema_name"):
            migrated.append(kwargs["schema_name"])
            if not run:
                return None
        return real(name, *args, **kwargs)

    monkeypatch.setattr(platform_setup, "call_command", spy)
    return migrated


def test_new_sites_record_the_templates_state_so_a_deploy_skips_them(cluster, monkeypatch):
    current = migration_state_hash()
    sites = Site.objects.exclude(schema_name="public")
    assert set(sites.values_list("migration_state", flat=True)) == {current}
    migrated = _spy_migrations(monkeypatch)
    report = migrate_sites(log=lambda _m: None)
    assert (report.total, report.stale, report.migrated) == (sites.count(), 0, 0)
    assert migrated == []


def test_a_deploy_with_a_new_migration_migrates_only_the_stale_sites_and_records_them(cluster, monkeypatch):
    """The code's hash changes (a new tenant migration); two sites already carry it (made after the
    release job started, from the new template): only the others are considered, and of those only
    the one that really lacks a migration is migrated (by the shared plan, without migrate_schemas);
    every one is recorded."""
    new_hash = "f" * 64
    behind = cluster["county_b"].schema_name
    call_command(  # county_b lacks the newest content migration
        "migrate_schemas", "content", "0002", tenant=True, schema_name=behind, interactive=False, verbosity=0
    )
    connection.set_schema_to_public()
    monkeypatch.setattr(platform_setup, "migration_state_hash", lambda: new_hash)
    fresh = [cluster["county_a"].schema_name, cluster["township"].schema_name]
    Site.objects.filter(schema_name__in=fresh).update(migration_state=new_hash)
    migrated = _spy_migrations(monkeypatch, run=False)
    messages: list[str] = []
    report = migrate_sites(log=messages.append)
    sites = Site.objects.exclude(schema_name="public")
    others = set(sites.exclude(schema_name__in=fresh).values_list("schema_name", flat=True))
    assert migrated == []
    assert report.stale == len(others) and (report.migrated, report.checked) == (1, len(others) - 1)
    assert set(sites.values_list("migration_state", flat=True)) == {new_hash}
    assert f"{len(others)} 个需要迁移" in messages[0] and "1 个执行了迁移" in messages[-1]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM information_schema.columns WHERE table_schema = %s "
            "AND table_name = 'content_articlepage' AND column_name = 'cover_id'",
            [behind],
        )
        assert cursor.fetchone()[0] == 1
    # the next deploy of the same code has nothing to do
    assert migrate_sites(log=lambda _m: None).stale == 0 and migrated == []


def test_verify_checks_every_site_whatever_was_recorded(cluster, monkeypatch):
    migrated = _spy_migrations(monkeypatch)
    report = migrate_sites(log=lambda _m: None, verify=True)
    assert report.stale == report.checked == Site.objects.exclude(schema_name="public").count()
    assert migrated == []  # every schema has every migration: nothing run


def test_the_recorder_check_is_one_lookup_not_a_catalog_listing(cluster):
    site = cluster["county_b"]
    with connection.cursor() as cursor:
        cursor.execute('CREATE SCHEMA "zq_scale_probe_empty"')
    with cheap_recorder_check(), CaptureQueriesContext(connection) as queries:
        connection.set_schema(site.schema_name, include_public=False)
        assert MigrationRecorder(connection).has_table() is True
        connection.set_schema("zq_scale_probe_empty", include_public=False)
        assert MigrationRecorder(connection).has_table() is False  # public's table does not count
    connection.set_schema_to_public()
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "to_regclass" in sql and "pg_table_is_visible" not in sql and "pg_class" not in sql
    assert MigrationRecorder.has_table is not None and "cheap" not in MigrationRecorder.has_table.__qualname__


def test_top_up_fills_the_pool_and_steps_aside_while_another_refill_runs(db):
    template = ensure_template()
    before = set(SpareSchema.objects.values_list("schema_name", flat=True))
    have = SpareSchema.objects.filter(state_hash=template.state_hash).count()
    holding, release = threading.Event(), threading.Event()

    def hold(_index: int) -> None:
        with advisory_lock(MAINTENANCE_LOCK):
            holding.set()
            release.wait(timeout=60)

    holder = threading.Thread(target=run_together, args=(1, hold))
    holder.start()
    try:
        assert holding.wait(timeout=30)
        started = time.monotonic()
        assert committed(lambda: top_up(have + 2)) == 0  # another refill runs: nothing queued behind it
        assert time.monotonic() - started < 5
        release.set()
        holder.join(timeout=30)
        assert committed(lambda: top_up(have + 2)) == 2
        assert SpareSchema.objects.filter(state_hash=template.state_hash).count() == have + 2
        assert committed(lambda: top_up(have + 2)) == 0  # full
    finally:
        release.set()
        holder.join(timeout=30)
        committed(lambda: drop_spares(exclude=before))


def test_background_top_up_keeps_spares_ready_while_the_foreground_works(db):
    template = ensure_template()
    before = set(SpareSchema.objects.values_list("schema_name", flat=True))
    target = SpareSchema.objects.filter(state_hash=template.state_hash).count() + 1
    try:
        with BackgroundTopUp(target) as refill:
            deadline = time.monotonic() + 120
            while refill.made < 1 and time.monotonic() < deadline:
                time.sleep(0.2)
        assert refill.made == 1
        assert SpareSchema.objects.filter(state_hash=template.state_hash).count() == target
    finally:
        committed(lambda: drop_spares(exclude=before))


def test_a_bulk_run_gives_every_row_a_fresh_database_session(db):
    """Outside a caller's transaction (the command, the console's background job), each row runs on a
    new PostgreSQL backend, so nothing accumulates in one session over a thousand rows."""
    slugs = [f"fresh-{i}-{time.time_ns() % 10**6}" for i in range(3)]
    rows = [(i + 2, SiteSpec(name=f"新会话站点{i}", slug=slug, kind="county")) for i, slug in enumerate(slugs)]
    backends: list[int] = []

    def backend() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backends.append(cursor.fetchone()[0])

    def run() -> tuple:
        backend()
        return create_sites(rows, on_row=backend, by="test")

    try:
        created, errors = committed(run)
        assert not errors and [r.site.slug for r in created] == slugs
        assert len(set(backends)) == len(backends) == 4  # before the run + after each row
    finally:
        drop_sites(slugs)
