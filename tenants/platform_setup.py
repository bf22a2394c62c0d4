"""Bringing a database to a working platform: shared tables, the platform's own tenant row, the
sites' schemas, the site template and the warm pool. Idempotent: run it after every deploy.

A deploy does only the work the migration state requires. Every site records the tenant-migration
state hash its schema was brought to (``Site.migration_state``: set from the template when the site
is made, and after each migration here); sites whose hash equals the code's are skipped without
opening their schema. Stale sites (a new migration, or unknown state) are grouped by the migrations
their schemas recorded; each group's plan is prepared once and applied schema by schema
(``tenants.migrate_fast``), or, for plans that module leaves to Django (data migrations), each site
runs ``migrate_schemas``. A group with nothing to apply only has its record updated. Throughout, the
migration recorder's "does django_migrations exist" check is one index lookup instead of Django's
list of every table in the catalog (``cheap_recorder_check``).

Why a recorded hash is trustworthy: schemas are only ever made from the template (whose hash is
recorded with it) or migrated here (recorded after success). ``setup_platform --verify`` ignores
the recorded state and runs every site's migrations, as before, for when someone changed a schema
by hand.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder

from tenants import migrate_fast
from tenants.closure.migration_executor import archived_schemas
from tenants.models import Domain, SchemaTemplate, Site, SiteKind
from tenants.pool import fill_pool
from tenants.schema_template import ensure_template, migration_state_hash


@dataclass
class SiteMigrationReport:
    total: int
    stale: int  # recorded state differs from the code's (or --verify)
    migrated: int  # of those, had migrations to apply: migrate_schemas ran
    checked: int  # of those, nothing to apply: only the record was updated
    skipped_archived: int
    seconds: float
    processes: int = 1  # how many processes migrated the stale sites
    failed: tuple[str, ...] = ()  # schemas whose migration raised: their recorded state is unchanged
    one_by_one: int = 0  # stale sites that went the normal way (migrate_schemas per site), not a shared plan


def ensure_platform_tenant() -> Site:
    """The public schema's tenant row: the platform console lives on its domain."""
    connection.set_schema_to_public()
    with transaction.atomic():
        site, _ = Site.objects.get_or_create(
            schema_name="public",
            defaults={"name": "站群管理平台", "slug": "platform", "kind": SiteKind.PLATFORM},
        )
        if not Domain.objects.filter(domain=settings.PLATFORM_DOMAIN).exists():
            Domain.objects.create(domain=settings.PLATFORM_DOMAIN, tenant=site, is_primary=True)
        _ensure_console_wagtail_site(site)
    return site


def _ensure_console_wagtail_site(site: Site) -> None:
    from wagtail.models import Site as WagtailSite

    WagtailSite.objects.filter(is_default_site=True).update(hostname=settings.PLATFORM_DOMAIN, site_name=site.name)


@contextlib.contextmanager
def cheap_recorder_check() -> Iterator[None]:
    """For the block, ``MigrationRecorder.has_table`` asks PostgreSQL for the one table by name.

    Django's check lists every table visible on the search path (``pg_table_is_visible`` over all of
    ``pg_class``): 70 ms a call at 500 sites, several calls per site migrated. ``to_regclass`` on the
    schema-qualified name is an index lookup. Same answer: whether the current schema has the table."""
    original = MigrationRecorder.has_table

    def has_table(recorder: MigrationRecorder) -> bool:
        if recorder._has_table:
            return True
        schema = getattr(recorder.connection, "schema_name", "public") or "public"
        name = f'"{schema}".{recorder.Migration._meta.db_table}'
        with recorder.connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [name])
            recorder._has_table = bool(cursor.fetchone()[0])
        return recorder._has_table

    MigrationRecorder.has_table = has_table
    try:
        yield
    finally:
        MigrationRecorder.has_table = original


def nothing_to_apply(schema_name: str) -> bool:
    """Whether ``schema_name`` already has every migration the code has (Django's own plan, empty).

    Why ask before running ``migrate_schemas``: for a schema with nothing to apply it still spends
    ~0.6 s (post-migrate signals re-checking every content type and permission, rendering the state
    of every migration). Sites whose state is unknown (the first deploy after this record existed,
    ``--verify``, a restored site) are mostly up to date: the plan alone is one query of the schema's
    ``django_migrations`` plus the migration graph."""
    connection.set_schema(schema_name, include_public=False)
    try:
        executor = MigrationExecutor(connection)
        if not executor.recorder.has_table():
            return False
        return not executor.migration_plan(executor.loader.graph.leaf_nodes())
    finally:
        connection.set_schema_to_public()


MIGRATED, CHECKED = "migrated", "checked"


class SiteMigrationFailed(RuntimeError):
    """Some sites' migrations raised; every other stale site was migrated and recorded."""


def migrate_one_site(schema_name: str, state: str) -> str:
    """Bring one site's schema to the code's migrations and record ``state`` for it at once.

    Recorded per schema, right after its own success: a deploy that fails or is interrupted half way
    leaves every finished site recorded, so the next run starts where this one stopped."""
    with cheap_recorder_check():
        if nothing_to_apply(schema_name):
            outcome = CHECKED
        else:
            call_command("migrate_schemas", tenant=True, schema_name=schema_name, interactive=False, verbosity=0)
            outcome = MIGRATED
    connection.set_schema_to_public()
    Site.objects.filter(schema_name=schema_name).update(migration_state=state)
    return outcome


def _process_count(requested: int | None, stale: int) -> int:
    """Migrate in this process when inside a transaction: other connections could not see what it
    has not committed (and would wait on its row locks)."""
    wanted = settings.ZQ_MIGRATE_PROCESSES if requested is None else requested
    if connection.in_atomic_block:
        return 1
    return max(1, min(wanted, stale))


def _migrate_here(stale: list[str], state: str) -> dict[str, str]:
    """One after another on this connection; the first failure stops the deploy (as it always did)."""
    return {name: migrate_one_site(name, state) for name in stale}


def _migrate_in_child(schema_name: str, state: str) -> str:
    """Runs in a pool process: its own database connection, opened on first use after the fork."""
    try:
        return migrate_one_site(schema_name, state)
    except Exception as exc:  # noqa: BLE001 - reported to the parent by schema, the others go on
        return f"{type(exc).__name__}: {exc}"
    finally:
        connections.close_all()


def _migrate_in_processes(stale: list[str], state: str, workers: int) -> dict[str, str]:
    """Stale schemas migrated by a pool of forked processes, each on its own connection.

    Why processes, not threads: a schema's migration is mostly Python (state rendering, post-migrate
    signals; ~0.4 s a site, the DDL is a small part), so threads would share one interpreter lock.
    Different schemas do not lock each other (each migration touches only its own schema's tables);
    the parent closes its connections before forking so no child inherits an open socket."""
    connections.close_all()
    context = multiprocessing.get_context("fork")
    with context.Pool(workers, maxtasksperchild=50) as pool:
        results = pool.starmap(_migrate_in_child, [(name, state) for name in stale], chunksize=1)
    return dict(zip(stale, results, strict=True))


def _migrate_one_by_one(stale: list[str], state: str, workers: int) -> dict[str, str]:
    """The normal way: ``migrate_schemas`` per site (plans ``migrate_fast`` does not apply itself)."""
    if not stale:
        return {}
    return _migrate_in_processes(stale, state, workers) if workers > 1 else _migrate_here(stale, state)


def _apply_shared(plan: migrate_fast.SharedPlan, schema_name: str, state: str) -> str:
    try:
        migrate_fast.apply(plan, schema_name, state)
    except Exception as exc:  # noqa: BLE001 - the site is named, its transaction rolled back, the others go on
        connection.set_schema_to_public()
        return f"{type(exc).__name__}: {exc}"
    return MIGRATED


_BATCH = 50  # sites per batch (per connection in pool processes, per progress line)
# A shared plan handed to forked pool processes (inherited through the fork, never pickled).
_CHILD_PLAN: migrate_fast.SharedPlan | None = None


def _adopt_plan(plan: migrate_fast.SharedPlan) -> None:
    global _CHILD_PLAN  # noqa: PLW0603 - the pool initializer's only way to hand the child its plan
    _CHILD_PLAN = plan


def _apply_batch_in_child(batch: tuple[list[str], str]) -> dict[str, str]:
    """A batch of sites on one connection, closed at the end: a session that touched hundreds of
    schemas keeps their catalog entries (docs/scaling.md §3), so each batch starts a fresh one."""
    schemas, state = batch
    try:
        return {name: _apply_shared(_CHILD_PLAN, name, state) for name in schemas}
    finally:
        connections.close_all()


def _migrate_shared(
    plan: migrate_fast.SharedPlan, state: str, workers: int, log: Callable[[str], None]
) -> dict[str, str]:
    """Apply ``plan`` to each of its schemas; a failing site is reported and the others go on.

    The first sites are migrated here until one succeeds: it shows what the post-migrate handlers add
    (``migrate_fast``), which every other site then only repeats. The rest go in batches, here or in
    ``workers`` forked processes that inherit the rendered states."""
    outcomes: dict[str, str] = {}
    pending = list(plan.schemas)
    while pending and plan.added_content_types is None:
        name = pending.pop(0)
        outcomes[name] = _apply_shared(plan, name, state)
    if plan.added_content_types or plan.added_permissions:
        added = f"内容类型 {len(plan.added_content_types)} 个、权限 {len(plan.added_permissions)} 个"
        log(f"迁移后处理补建了{added}，其余站点照此补建。")
    size = max(1, min(_BATCH, -(-len(pending) // workers)))  # every process gets work even for few sites
    batches = [pending[start : start + size] for start in range(0, len(pending), size)]
    if workers > 1 and len(batches) > 1:
        connections.close_all()
        context = multiprocessing.get_context("fork")
        with context.Pool(workers, initializer=_adopt_plan, initargs=(plan,)) as pool:
            for done in pool.imap_unordered(_apply_batch_in_child, [(batch, state) for batch in batches]):
                outcomes.update(done)
                log(f"已迁移 {len(outcomes)}/{len(plan.schemas)} 个站点……")
    else:
        for batch in batches:
            outcomes.update({name: _apply_shared(plan, name, state) for name in batch})
            if not connection.in_atomic_block:  # a fresh session per batch here too
                connections.close_all()
            log(f"已迁移 {len(outcomes)}/{len(plan.schemas)} 个站点……")
    return outcomes


def migrate_sites(
    log: Callable[[str], None] = print, *, verify: bool = False, processes: int | None = None
) -> SiteMigrationReport:
    """Migrate the sites whose recorded state differs from the code's (every site with ``verify``),
    in ``processes`` processes at once (default ``ZQ_MIGRATE_PROCESSES``).

    Stale sites that recorded the same migrations share one prepared plan (``tenants.migrate_fast``);
    a plan that module does not apply itself goes the normal way, ``migrate_schemas`` per site.
    Raises ``SiteMigrationFailed`` naming the schemas that failed, after every other stale site is done."""
    started = time.perf_counter()
    connection.set_schema_to_public()
    current = migration_state_hash()
    sites = Site.objects.exclude(schema_name="public")
    total = sites.count()
    candidates = sites if verify else sites.exclude(migration_state=current)
    names = list(candidates.order_by("pk").values_list("schema_name", flat=True))
    archived = archived_schemas(names) if names else set()
    stale = [name for name in names if name not in archived]
    if stale:
        log(f"迁移站点：{len(stale)} 个需要迁移，{total - len(names)} 个已是最新（迁移状态 {current[:12]}）……")
    else:
        log(f"全部 {total} 个站点的迁移状态已是最新（{current[:12]}），无需迁移。")
    workers = _process_count(processes, len(stale))
    with cheap_recorder_check():
        plans, one_by_one = migrate_fast.plan_groups(stale) if stale else ([], [])
    outcomes: dict[str, str] = {}
    for plan in plans:
        if plan.unsuitable:
            log(f"{len(plan.schemas)} 个站点逐个执行迁移（{plan.unsuitable}）。")
            one_by_one.extend(plan.schemas)
        elif not plan.migrations:
            Site.objects.filter(schema_name__in=plan.schemas).update(migration_state=current)
            outcomes.update(dict.fromkeys(plan.schemas, CHECKED))
        else:
            log(f"{len(plan.schemas)} 个站点共用一份迁移计划：{'、'.join(plan.names)}……")
            outcomes.update(_migrate_shared(plan, current, workers, log))
    outcomes.update(_migrate_one_by_one(one_by_one, current, workers))
    migrated = sum(1 for outcome in outcomes.values() if outcome == MIGRATED)
    checked = sum(1 for outcome in outcomes.values() if outcome == CHECKED)
    failed = tuple(name for name in stale if outcomes[name] not in (MIGRATED, CHECKED))
    connection.set_schema_to_public()
    if stale:
        log(f"站点迁移完成：{migrated} 个执行了迁移，{checked} 个核对后无需迁移（{workers} 个进程）。")
    if failed:
        for name in failed:
            log(f"站点 {name} 迁移失败：{outcomes[name]}")
        names = "、".join(failed)
        raise SiteMigrationFailed(f"{len(failed)} 个站点迁移失败（{names}），其迁移状态未更新，修复后重新运行即可。")
    return SiteMigrationReport(
        total=total,
        stale=len(stale),
        migrated=migrated,
        checked=checked,
        skipped_archived=len(archived),
        seconds=time.perf_counter() - started,
        processes=workers,
        failed=failed,
        one_by_one=len(one_by_one),
    )


@dataclass
class DeployReport:
    """What a deploy did and how long each step took (``bench_migrate`` prints it)."""

    sites: SiteMigrationReport
    template: SchemaTemplate
    shared_seconds: float  # the public schema's migrations
    template_seconds: float  # finding or rebuilding the site template
    pool_seconds: float
    seconds: float  # the whole deploy


def setup_platform(
    pool_size: int, log: Callable[[str], None] = print, *, verify: bool = False, processes: int | None = None
) -> DeployReport:
    started = time.perf_counter()
    log("迁移公共数据表……")
    with cheap_recorder_check():
        call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    ensure_platform_tenant()
    shared_done = time.perf_counter()
    sites = migrate_sites(log, verify=verify, processes=processes)
    connection.set_schema_to_public()
    template_started = time.perf_counter()
    template = ensure_template(log=log)
    pool_started = time.perf_counter()
    made = fill_pool(template, pool_size)
    log(f"预建站点池：新增 {made} 个，共 {pool_size} 个。")
    finished = time.perf_counter()
    return DeployReport(
        sites=sites,
        template=template,
        shared_seconds=shared_done - started,
        template_seconds=pool_started - template_started,
        pool_seconds=finished - pool_started,
        seconds=finished - started,
    )
