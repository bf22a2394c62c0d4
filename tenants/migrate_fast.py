"""Stale site schemas migrated with one migration plan per deploy, not one ``migrate`` per site.

Why: a new tenant migration makes every site stale, and ``migrate_schemas --schema X`` per site costs
~0.4 s of Python whatever the migration (issue #20): loading the migration graph (0.07 s), rendering
the project state of every applied migration (0.15 s) and the post-migrate signals re-checking every
content type and permission (0.28 s). The DDL itself is milliseconds. Every site is made from the
one template and migrated by the same code, so sites that have recorded the same migrations have the
same plan: here the graph is loaded and the states rendered once per group of such sites, and each
site only runs the operations' ``database_forwards`` on its own schema.

What is *not* shared: each operation still runs against each schema through Django's schema editor,
so whatever the editor reads from the catalog (constraint and index names to drop or alter) is read
from that site's own schema, and the SQL is built there — a schema that differs from its siblings is
migrated as ``migrate`` would migrate it, or fails on its own. Nothing is replayed blindly.

When a plan goes the normal way instead (per site ``migrate_schemas``, ``unsuitable`` names why):
an operation outside ``SCHEMA_OPERATIONS`` in an app that migrates in site schemas (``RunPython``,
``RunSQL``, ``RenameModel`` — whose content type rename Django injects through ``pre_migrate`` —,
third-party operations), or a non-atomic migration. Those may read or write rows, or depend on
signals this path does not send. Migrations of apps the router keeps out of site schemas (the shared
apps) are no-ops here in both paths; their ``RunPython``/``RunSQL`` check the same router.

Post-migrate work (content types and permissions: tenant apps, one table each per schema). Its
handlers only ever *add* rows the code's models require (``create_contenttypes``,
``create_permissions``, Wagtail's snippet extra permissions), and what they add depends only on the
rows already there and the models — identical for every site of a group. So the first site of a
group to succeed runs the full ``post_migrate`` signal, exactly as ``migrate`` would, and the rows it
added are noted. When it added none (a column, an index, a constraint: the common deploy) the others
skip it — the 0.28 s a site; when it added some (a new model, changed ``Meta.permissions``, a new
snippet mixin), each other site inserts exactly those rows where missing. ``pre_migrate`` is not
sent: its handlers rename content types for ``RenameModel`` (not run here) and pause Wagtail's
reference index for ``RunPython`` (not run here).

Each site runs in one transaction (a savepoint inside a caller's transaction) with its
``django_migrations`` rows and its ``Site.migration_state``: a site is either migrated and recorded,
or untouched.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.apps import apps as global_apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection, router, transaction
from django.db.migrations import operations as ops
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.migration import Migration
from django.db.migrations.operations.base import Operation
from django.db.migrations.recorder import MigrationRecorder
from django.db.migrations.state import ModelState, ProjectState
from django.utils.module_loading import module_has_submodule

from tenants.models import Site

# Operations whose database effect is DDL built by the schema editor from the migration states and
# the schema's own catalog: no rows read or written by Python, nothing sent through signals.
SCHEMA_OPERATIONS = (
    ops.CreateModel,
    ops.DeleteModel,
    ops.AddField,
    ops.RemoveField,
    ops.AlterField,
    ops.RenameField,
    ops.AddIndex,
    ops.RemoveIndex,
    ops.RenameIndex,
    ops.AddConstraint,
    ops.RemoveConstraint,
    ops.AlterConstraint,
    ops.AlterUniqueTogether,
    ops.AlterIndexTogether,
    ops.AlterModelTable,
    ops.AlterModelTableComment,
    ops.AlterModelOptions,
    ops.AlterModelManagers,
    ops.AlterOrderWithRespectTo,
)
# In apps kept out of site schemas these check the router themselves and do nothing there.
ROUTER_CHECKED_OPERATIONS = (ops.RunPython, ops.RunSQL)

_BATCH = 200  # schemas read per query when grouping by recorded migrations

Rows = tuple[tuple[str, ...], ...]


@dataclass
class Step:
    """One operation with the project states before and after it, rendered once for all sites."""

    app_label: str
    operation: Operation
    before: ProjectState
    after: ProjectState


@dataclass
class SharedPlan:
    """The sites that recorded the same migrations, and what bringing them to the code takes."""

    schemas: list[str]
    migrations: list[Migration]
    unsuitable: str = ""  # why this plan goes the normal way ('' when it can be applied here)
    steps: list[list[Step]] = field(default_factory=list)  # per migration, in plan order
    records: list[tuple[str, str]] = field(default_factory=list)  # django_migrations rows to add
    final_state: ProjectState | None = None
    # Rows the first migrated site's post-migrate signal added (None: no site migrated yet).
    added_content_types: Rows | None = None
    added_permissions: Rows = ()

    @property
    def names(self) -> list[str]:
        return [f"{m.app_label}.{m.name}" for m in self.migrations]


def plan_groups(schemas: Iterable[str]) -> tuple[list[SharedPlan], list[str]]:
    """Group ``schemas`` by their recorded migrations and prepare each group's plan.

    Returns the plans and the schemas that could not be grouped (no ``django_migrations`` table:
    the normal path creates it). Call inside ``cheap_recorder_check``; leaves the public schema set."""
    schemas = list(schemas)
    recorded = _recorded_migrations(schemas)
    groups: dict[frozenset, list[str]] = {}
    ungrouped: list[str] = []
    for schema in schemas:
        if schema in recorded:
            groups.setdefault(recorded[schema], []).append(schema)
        else:
            ungrouped.append(schema)
    try:
        return [_prepare_or_explain(members, applied) for applied, members in groups.items()], ungrouped
    finally:
        connection.set_schema_to_public()


def _prepare_or_explain(schemas: list[str], recorded: frozenset[tuple[str, str]]) -> SharedPlan:
    """A group whose plan cannot be prepared (an inconsistent history, a broken migration file) goes
    the normal way, where each of its sites fails on its own and is named."""
    try:
        return _prepare(schemas, recorded)
    except Exception as exc:  # noqa: BLE001 - reported through the plan, never lost
        return SharedPlan(schemas=schemas, migrations=[], unsuitable=f"无法准备迁移计划：{type(exc).__name__}: {exc}")


def _recorded_migrations(schemas: list[str]) -> dict[str, frozenset[tuple[str, str]]]:
    """Each schema's ``django_migrations`` rows, a few hundred schemas a query."""
    connection.set_schema_to_public()
    quote = connection.ops.quote_name
    found: dict[str, set[tuple[str, str]]] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT s FROM unnest(%s::text[]) AS s WHERE to_regclass(format('%%I.django_migrations', s)) IS NOT NULL",
            [schemas],
        )
        readable = [row[0] for row in cursor.fetchall()]
        for start in range(0, len(readable), _BATCH):
            batch = readable[start : start + _BATCH]
            sql = " UNION ALL ".join(f"SELECT %s, app, name FROM {quote(name)}.django_migrations" for name in batch)
            cursor.execute(sql, batch)
            for schema, app, name in cursor.fetchall():
                found.setdefault(schema, set()).add((app, name))
    for schema in readable:
        found.setdefault(schema, set())
    return {schema: frozenset(rows) for schema, rows in found.items()}


def _prepare(schemas: list[str], recorded: frozenset[tuple[str, str]]) -> SharedPlan:
    """The group's plan, read from its first schema as ``migrate`` would, and its states rendered."""
    connection.set_schema(schemas[0])
    executor = MigrationExecutor(connection)
    executor.loader.check_consistent_history(connection)
    targets = executor.loader.graph.leaf_nodes()
    plan = executor.migration_plan(targets)
    full_plan = executor.migration_plan(targets, clean_start=True)
    to_run = {migration for migration, _backwards in plan}
    ordered = [migration for migration, _backwards in full_plan if migration in to_run]  # as migrate does
    shared = SharedPlan(schemas=schemas, migrations=ordered)
    if not ordered:
        return shared
    shared.unsuitable = _unsuitable(ordered)
    if shared.unsuitable:
        return shared
    state = executor._create_project_state(with_applied_migrations=True)
    state.apps  # noqa: B018 - render once here, not once per site
    for migration in ordered:
        steps = []
        for operation in migration.operations:
            before = state.clone()
            operation.state_forwards(migration.app_label, state)
            steps.append(Step(migration.app_label, operation, before, state.clone()))
        shared.steps.append(steps)
    shared.final_state = state
    shared.records = _records(ordered, recorded, executor)
    return shared


def _unsuitable(migrations: list[Migration]) -> str:
    """Why these migrations must run the normal way, or '' (call with a site schema selected)."""
    for migration in migrations:
        label = f"{migration.app_label}.{migration.name}"
        if not migration.atomic:
            return f"{label} 不是原子迁移"
        in_sites = router.allow_migrate(connection.alias, migration.app_label) is not False
        allowed = SCHEMA_OPERATIONS if in_sites else SCHEMA_OPERATIONS + ROUTER_CHECKED_OPERATIONS
        for operation in _flattened(migration.operations):
            if type(operation) not in allowed:
                return f"{label} 含 {type(operation).__name__} 操作"
    return ""


def _flattened(operations: list[Operation]) -> Iterable[Operation]:
    """``SeparateDatabaseAndState`` runs only its database operations: judge those."""
    for operation in operations:
        if type(operation) is ops.SeparateDatabaseAndState:
            yield from _flattened(operation.database_operations)
        else:
            yield operation


def _records(
    migrations: list[Migration], recorded: frozenset[tuple[str, str]], executor: MigrationExecutor
) -> list[tuple[str, str]]:
    """The rows ``migrate`` would add: each migration (a squash records what it replaces), then any
    squash whose replaced migrations are now all recorded (``MigrationExecutor.check_replacements``)."""
    rows: list[tuple[str, str]] = []
    for migration in migrations:
        rows.extend(migration.replaces or [(migration.app_label, migration.name)])
    done = set(recorded) | set(rows)
    for key, squash in executor.loader.replacements.items():
        if key not in done and all(target in done for target in squash.replaces):
            rows.append(key)
            done.add(key)
    return rows


def apply(plan: SharedPlan, schema_name: str, state_hash: str) -> None:
    """Migrate one schema of ``plan``'s group and record it (its rows and ``migration_state``), all in
    one transaction. Raises whatever the schema's migration raised; then nothing of it is kept."""
    probe = plan.added_content_types is None
    with transaction.atomic():
        connection.set_schema(schema_name)  # the site, then public: as migrate_schemas runs migrate
        for steps in plan.steps:
            with connection.schema_editor(atomic=True) as editor:
                for step in steps:
                    step.operation.database_forwards(step.app_label, editor, step.before, step.after)
        MigrationRecorder.Migration.objects.bulk_create(
            [MigrationRecorder.Migration(app=app, name=name) for app, name in plan.records]
        )
        if probe:
            added = _post_migrate_and_note(plan)
        else:
            _add_missing_rows(plan.added_content_types, plan.added_permissions)
        connection.set_schema_to_public()
        Site.objects.filter(schema_name=schema_name).update(migration_state=state_hash)
    if probe:
        plan.added_content_types, plan.added_permissions = added
    connection.set_schema_to_public()


def _post_migrate_and_note(plan: SharedPlan) -> tuple[Rows, Rows]:
    """Send ``post_migrate`` as ``migrate`` does and return the content types and permissions it added."""
    content_types, permissions = _rows()
    emit_post_migrate_signal(0, False, connection.alias, apps=_post_migrate_apps(plan), plan=_plan_pairs(plan))
    ContentType.objects.clear_cache()
    after_types, after_permissions = _rows()
    before_types, before_permissions = set(content_types), set(permissions)
    return (
        tuple(row for row in after_types if row not in before_types),
        tuple(row for row in after_permissions if row not in before_permissions),
    )


def _plan_pairs(plan: SharedPlan) -> list[tuple[Migration, bool]]:
    return [(migration, False) for migration in plan.migrations]


def _post_migrate_apps(plan: SharedPlan):
    """The apps registry ``migrate`` hands to post-migrate handlers (same steps as its ``handle``)."""
    for app_config in global_apps.get_app_configs():  # handlers living in ``management`` modules
        if module_has_submodule(app_config.module, "management"):
            importlib.import_module(".management", app_config.name)
    state = plan.final_state.clone()
    state.clear_delayed_apps_cache()
    post_apps = state.apps
    with post_apps.bulk_update():
        model_keys = []
        for model_state in post_apps.real_models:
            model_key = model_state.app_label, model_state.name_lower
            model_keys.append(model_key)
            post_apps.unregister_model(*model_key)
    post_apps.render_multiple([ModelState.from_model(global_apps.get_model(*key)) for key in model_keys])
    return post_apps


def _rows() -> tuple[Rows, Rows]:
    """The current schema's content types and permissions, by natural key, in creation order."""
    types = tuple(ContentType.objects.order_by("pk").values_list("app_label", "model"))
    permissions = tuple(
        Permission.objects.order_by("pk").values_list(
            "content_type__app_label", "content_type__model", "codename", "name"
        )
    )
    return types, permissions


def _add_missing_rows(content_types: Rows, permissions: Rows) -> None:
    """Insert, where missing, the rows the first site's post-migrate handlers added."""
    if not content_types and not permissions:
        return
    ContentType.objects.bulk_create(
        [ContentType(app_label=app_label, model=model) for app_label, model in content_types], ignore_conflicts=True
    )
    ContentType.objects.clear_cache()
    wanted = {(app_label, model) for app_label, model, _codename, _name in permissions}
    ids = {
        (ct.app_label, ct.model): ct.pk
        for ct in ContentType.objects.filter(app_label__in={key[0] for key in wanted})
        if (ct.app_label, ct.model) in wanted
    }
    Permission.objects.bulk_create(
        [
            Permission(content_type_id=ids[(app_label, model)], codename=codename, name=name)
            for app_label, model, codename, name in permissions
        ],
        ignore_conflicts=True,
    )
