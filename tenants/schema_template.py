"""The prepared template every new site schema is copied from.

Why a dump and not django-tenants' ``clone_schema``: the stock clone renames multi-column unique
constraints to PostgreSQL's default names (so a later migration that drops one by name fails on
cloned sites only) and takes 0.7–2.5 s; replaying the template's ``pg_dump`` reproduces the schema
exactly in ~0.3 s. The template is keyed by a hash of the tenant apps' migration state: a stale one
is never used, it is rebuilt (by running the migrations once) when the code's migrations change.

Builds happen outside any site's transaction and one at a time across the cluster's processes, so
provisioning right after (or during) a deploy that adds a migration waits for the build, never fails.
"""

from __future__ import annotations

import functools
import hashlib
import os
import time
from collections.abc import Callable

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils.translation import gettext_lazy
from django_tenants.utils import schema_exists

from tenants.lib.pg import advisory_lock, in_own_connection
from tenants.lib.schema_dump import PLACEHOLDER, dump_schema
from tenants.models import SchemaTemplate

# Serialises template builds and pool refills across every process (see tenants.lib.pg).
MAINTENANCE_LOCK = "zhanqun:site-template-and-pool"
MAINTENANCE_WORK = gettext_lazy("构建站点模板或补充预建池")
_FORMAT_VERSION = "1"  # bump when the way the dump is made or replayed changes


def tenant_app_labels() -> set[str]:
    from django.apps import apps

    return {config.label for config in apps.get_app_configs() if config.name in settings.TENANT_APPS}


@functools.cache
def migration_state_hash() -> str:
    """A hash of every tenant-app migration (name and source), so any edit makes a new template.

    Cached per process: the code's migrations cannot change under a running process."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    labels = tenant_app_labels()
    digest = hashlib.sha256(_FORMAT_VERSION.encode())
    for app_label, name in sorted(key for key in loader.disk_migrations if key[0] in labels):
        digest.update(f"{app_label}.{name}\n".encode())
        module = loader.disk_migrations[(app_label, name)].__module__
        path = getattr(__import__(module, fromlist=["_"]), "__file__", None)
        if path and os.path.exists(path):
            with open(path, "rb") as handle:
                digest.update(hashlib.sha256(handle.read()).digest())
    return digest.hexdigest()


def current_template() -> SchemaTemplate | None:
    return SchemaTemplate.objects.filter(state_hash=migration_state_hash()).first()


def ensure_template(log: Callable[[str], None] = lambda _msg: None) -> SchemaTemplate:
    """Return the template for the current migrations, building it if missing or stale.

    Safe to call from anywhere, any number of times at once: builds are serialised by
    ``MAINTENANCE_LOCK`` (held on the caller's connection), a caller that finds another build under
    way waits for it and reuses its template, and the build itself runs on a connection of its own —
    never inside the caller's transaction (migrations cannot), and free to be closed by
    ``migrate_schemas`` (which closes its connection: a lock held there would be dropped midway).
    """
    template = current_template()
    if template is not None:
        return template
    state_hash = migration_state_hash()
    waiting = f"另一个进程正在{MAINTENANCE_WORK}，等待其完成……"
    with advisory_lock(MAINTENANCE_LOCK, what=MAINTENANCE_WORK, on_wait=lambda: log(waiting)):
        template = SchemaTemplate.objects.filter(state_hash=state_hash).first()
        if template is not None:  # built by the process we waited for
            return template
        return in_own_connection(lambda: _build(state_hash, log), name="zq-template-build")


def _build(state_hash: str, log: Callable[[str], None]) -> SchemaTemplate:
    """Run every tenant migration into a fresh schema, dump it, then replace the stale templates.

    Call with ``MAINTENANCE_LOCK`` held. The dump is stored only once complete: a build that dies
    midway leaves at most its scratch schema, which the next build drops first."""
    log(f"正在构建站点模板（迁移状态 {state_hash[:12]}）……")
    started = time.perf_counter()
    schema_name = f"zq_template_{state_hash[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP SCHEMA IF EXISTS "{schema_name}" CASCADE')
        cursor.execute(f'CREATE SCHEMA "{schema_name}"')
    try:
        call_command("migrate_schemas", tenant=True, schema_name=schema_name, interactive=False, verbosity=0)
        connection.set_schema_to_public()
        sql = dump_schema(schema_name)
    except BaseException:
        connection.set_schema_to_public()
        with connection.cursor() as cursor:
            cursor.execute(f'DROP SCHEMA IF EXISTS "{schema_name}" CASCADE')
        raise
    with transaction.atomic():
        stale = SchemaTemplate.objects.exclude(state_hash=state_hash)
        for old in stale:
            if old.schema_name != schema_name:
                with connection.cursor() as cursor:
                    cursor.execute(f'DROP SCHEMA IF EXISTS "{old.schema_name}" CASCADE')
        stale.delete()
        template = SchemaTemplate.objects.create(
            state_hash=state_hash, schema_name=schema_name, sql=sql, build_seconds=time.perf_counter() - started
        )
    log(f"站点模板已就绪，用时 {template.build_seconds:.1f} 秒。")
    return template


def replay_template(template: SchemaTemplate, schema_name: str) -> None:
    """Create ``schema_name`` as an exact copy of the template (inside the caller's transaction)."""
    if schema_exists(schema_name):
        raise ValueError(f"schema {schema_name} already exists")
    with connection.cursor() as cursor:
        cursor.execute(template.sql.replace(PLACEHOLDER, schema_name))
