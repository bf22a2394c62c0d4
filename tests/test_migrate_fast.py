"""A deploy applies one prepared migration plan to every stale site that shares it (issue #20: a new
migration at 1,000 sites in under 5 minutes), and each schema ends exactly as ``migrate`` leaves it.

The migrations are the real ones: sites are taken back with ``migrate_schemas content 000N`` and
brought forward again, by the normal way on one site and by the shared plan on the others."""

from __future__ import annotations

from django.core.management import call_command
from django.db import connection
from django.db.migrations import RunPython
from django.db.migrations.loader import MigrationLoader
from django.db.models.signals import post_migrate

from tenants import migrate_fast, platform_setup
from tenants.models import Site
from tenants.platform_setup import SiteMigrationFailed, migrate_sites
from tenants.schema_template import migration_state_hash
from tests.test_provisioning_concurrency import committed

NEW_HASH = "d" * 64
NEW_MODELS = ("librarylistpage", "librarylistitem")  # created by content 0002


def _take_back(schema: str, migration: str) -> None:
    call_command(
        "migrate_schemas", "content", migration, tenant=True, schema_name=schema, interactive=False, verbosity=0
    )
    connection.set_schema_to_public()


def _migrate_normally(schema: str) -> None:
    call_command("migrate_schemas", tenant=True, schema_name=schema, interactive=False, verbosity=0)
    connection.set_schema_to_public()


def _forget_new_models(schema: str) -> None:
    """What a site that never had content 0002's models lacks besides their tables: their content
    types and permissions (taking a migration back leaves those rows, a site made before it has none)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f'DELETE FROM "{schema}".auth_permission WHERE content_type_id IN (SELECT id FROM '
            f'"{schema}".django_content_type WHERE app_label = %s AND model = ANY(%s))',
            ["content", list(NEW_MODELS)],
        )
        cursor.execute(
            f'DELETE FROM "{schema}".django_content_type WHERE app_label = %s AND model = ANY(%s)',
            ["content", list(NEW_MODELS)],
        )


def _columns(schema: str, table: str = "content_articlepage") -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = %s AND table_name = %s",
            [schema, table],
        )
        return {row[0] for row in cursor.fetchall()}


def _catalog(schema: str) -> dict[str, list[tuple]]:
    """Everything that says what a schema is, with its own name taken out (ids and column positions
    differ between schemas by history, not by shape: a dropped column keeps its slot)."""
    queries = {
        "columns": (
            "SELECT table_name, column_name, data_type, character_maximum_length, numeric_precision, "
            "is_nullable, column_default FROM information_schema.columns WHERE table_schema = %(s)s"
        ),
        "indexes": "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = %(s)s",
        "constraints": (
            "SELECT cl.relname, c.conname, c.contype, pg_get_constraintdef(c.oid) FROM pg_constraint c "
            "JOIN pg_class cl ON cl.oid = c.conrelid JOIN pg_namespace n ON n.oid = cl.relnamespace "
            "WHERE n.nspname = %(s)s"
        ),
        "migrations": 'SELECT app, name FROM "{s}".django_migrations',
        "content types": 'SELECT app_label, model FROM "{s}".django_content_type',
        "permissions": (
            'SELECT ct.app_label, ct.model, p.codename, p.name FROM "{s}".auth_permission p '
            'JOIN "{s}".django_content_type ct ON ct.id = p.content_type_id'
        ),
    }
    catalog = {}
    with connection.cursor() as cursor:
        for what, sql in queries.items():
            cursor.execute(sql.replace("{s}", schema), {"s": schema})
            rows = [tuple(str(v).replace(schema, "<schema>") for v in row) for row in cursor.fetchall()]
            catalog[what] = sorted(rows)
    return catalog


def _stale_everywhere(monkeypatch) -> None:
    """The code's migration state changed (a release): every site's record is now out of date."""
    monkeypatch.setattr(platform_setup, "migration_state_hash", lambda: NEW_HASH)


def test_content_0002_and_0003_are_schema_only_so_they_go_the_shared_way(cluster):
    on_disk = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    names = ("0002_librarylistpage_librarylistitem", "0003_articlepage_cover")
    migrations = [on_disk[("content", name)] for name in names]
    kinds = {type(operation).__name__ for migration in migrations for operation in migration.operations}
    assert kinds == {"CreateModel", "AddField"}
    connection.set_schema(cluster["county_b"].schema_name, include_public=False)
    try:
        assert migrate_fast._unsuitable(migrations) == ""
    finally:
        connection.set_schema_to_public()


def test_a_shared_plan_leaves_each_schema_exactly_as_migrate_does(cluster, monkeypatch):
    """Four sites lose content 0002 and 0003 (two tables, a column, its foreign key and index, the new
    models' content types and permissions). One is migrated the normal way; the other three share
    one plan. All four, and a site that was never taken back, end identical."""
    normal = cluster["county_a"].schema_name
    shared = [cluster[key].schema_name for key in ("county_b", "department", "township")]
    untouched = cluster["city"].schema_name
    for schema in [normal, *shared]:
        _take_back(schema, "0001")
        _forget_new_models(schema)
        assert "cover_id" not in _columns(schema) and not _columns(schema, "content_librarylistitem")
    _migrate_normally(normal)
    _stale_everywhere(monkeypatch)
    messages: list[str] = []

    report = migrate_sites(log=messages.append)

    assert (report.migrated, report.checked, report.one_by_one, report.failed) == (3, 2, 0, ())
    assert any("3 个站点共用一份迁移计划" in m and "content.0003_articlepage_cover" in m for m in messages)
    assert any("内容类型 2 个、权限 8 个" in m for m in messages)  # the new models', added once, repeated
    reference = _catalog(normal)
    assert "content_articlepage_cover_id_" in str(reference["indexes"])  # the catalog really covers it
    assert ("content", "librarylistitem") in reference["content types"]
    for schema in [*shared, untouched]:
        assert _catalog(schema) == reference, schema
    states = dict(Site.objects.exclude(schema_name="public").values_list("schema_name", "migration_state"))
    assert set(states.values()) == {NEW_HASH}


def test_when_post_migrate_adds_nothing_only_the_first_site_runs_it(cluster, monkeypatch):
    """A column and an index (content 0003): the post-migrate handlers run for the first site, find
    every content type and permission present, and are skipped for the others."""
    schemas = [cluster[key].schema_name for key in ("county_b", "department", "township")]
    for schema in schemas:
        _take_back(schema, "0002")
    _stale_everywhere(monkeypatch)
    sent_in: list[str] = []

    def note(**_kwargs):
        sent_in.append(connection.schema_name)

    post_migrate.connect(note, weak=False, dispatch_uid="test-migrate-fast-note")
    try:
        report = migrate_sites(log=lambda _m: None)
    finally:
        post_migrate.disconnect(dispatch_uid="test-migrate-fast-note")
    assert report.migrated == 3
    assert len(set(sent_in)) == 1 and set(sent_in) < set(schemas)
    assert all("cover_id" in _columns(schema) for schema in schemas)


def test_a_failing_site_is_named_and_the_others_are_migrated_and_recorded(cluster, monkeypatch):
    good = [cluster["county_b"].schema_name, cluster["township"].schema_name]
    bad = cluster["department"].schema_name
    for schema in [*good, bad]:
        _take_back(schema, "0002")
    with connection.cursor() as cursor:  # someone added a column of that name by hand
        cursor.execute(f'ALTER TABLE "{bad}".content_articlepage ADD COLUMN cover_id text')
    _stale_everywhere(monkeypatch)
    messages: list[str] = []

    try:
        migrate_sites(log=messages.append)
    except SiteMigrationFailed as exc:
        error = str(exc)
    else:
        error = "no error"

    assert bad in error and not any(schema in error for schema in good)
    assert any(bad in m and "cover_id" in m for m in messages)  # the database's reason, per site
    states = dict(Site.objects.exclude(schema_name="public").values_list("schema_name", "migration_state"))
    assert states[bad] != NEW_HASH and all(states[schema] == NEW_HASH for schema in good)
    assert all("cover_id" in _columns(schema) for schema in good)
    with connection.cursor() as cursor:  # the failed site is as it was: nothing half applied
        cursor.execute(
            "SELECT data_type FROM information_schema.columns WHERE table_schema = %s "
            "AND table_name = 'content_articlepage' AND column_name = 'cover_id'",
            [bad],
        )
        assert cursor.fetchall() == [("text",)]
        cursor.execute(f"SELECT count(*) FROM \"{bad}\".django_migrations WHERE app = 'content' AND name LIKE '0003%%'")
        assert cursor.fetchone()[0] == 0


def test_a_plan_with_run_python_goes_the_normal_way(cluster, monkeypatch):
    """A data migration may read or write rows: each site runs ``migrate`` for it, and the log says why."""
    schema = cluster["county_b"].schema_name
    _take_back(schema, "0002")
    ran_in: list[str] = []
    module = MigrationLoader(None, ignore_no_migrations=True).disk_migrations[("content", "0003_articlepage_cover")]

    def data_step(_apps, _schema_editor):
        ran_in.append(connection.schema_name)

    monkeypatch.setattr(type(module), "operations", [*type(module).operations, RunPython(data_step)])
    _stale_everywhere(monkeypatch)
    messages: list[str] = []

    report = migrate_sites(log=messages.append)

    assert ran_in == [schema]
    assert (report.migrated, report.one_by_one) == (1, 1)
    assert any("逐个执行迁移" in m and "RunPython" in m and "content.0003" in m for m in messages)
    assert "cover_id" in _columns(schema)


def test_sites_sharing_a_plan_are_migrated_by_several_processes(cluster, monkeypatch):
    """Outside a transaction the sites after the first go to forked processes that inherit the plan;
    every one is migrated and recorded, committed."""
    real_hash = migration_state_hash()
    schemas = [cluster[key].schema_name for key in ("county_a", "county_b", "department", "township")]
    _stale_everywhere(monkeypatch)
    try:
        committed(lambda: [_take_back(schema, "0002") for schema in schemas])
        report = committed(lambda: migrate_sites(log=lambda _m: None, processes=2))
        assert (report.migrated, report.processes, report.failed) == (4, 2, ())
        assert all("cover_id" in _columns(schema) for schema in schemas)
        assert set(Site.objects.exclude(schema_name="public").values_list("migration_state", flat=True)) == {
            NEW_HASH
        }
    finally:
        monkeypatch.undo()
        committed(lambda: [_migrate_normally(schema) for schema in schemas])
        committed(lambda: Site.objects.update(migration_state=real_hash))
