"""A deploy with a real new tenant migration on every site. Run by hand (./zq bench migrate), never in tests.

The migration is made for the run and never committed (``tenants.bench.temporary_migration``: an
indexed column on ``content_articlepage``); every site becomes stale as after a release. Printed,
each with what exactly was measured:

- the normal way for comparison: ``migrate_schemas`` on the first ``--normal`` stale sites, one
  after another in this process (``tenants.platform_setup.migrate_one_site``);
- then the whole deploy, ``setup_platform`` with no pool: the public schema's migrations, the site
  step on all the other sites (shared plans, ``--processes``) and the site template rebuilt for the
  new state, each step timed;
- a check that every site's schema got the column and its index (``information_schema`` and
  ``pg_indexes``) and recorded the new state.

The database keeps the columns: use a copy (``createdb -T``), not a database anyone works on.
"""

from __future__ import annotations

import os
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from tenants.bench.temporary_migration import temporary_migration
from tenants.closure.migration_executor import archived_schemas
from tenants.models import Site
from tenants.platform_setup import migrate_one_site, migrate_sites, setup_platform
from tenants.schema_template import current_template, migration_state_hash


class Command(BaseCommand):
    help = "测量带一个新租户迁移的部署：逐站迁移对照、整个 setup_platform（站点迁移、模板重建），核对每个站点都已变更。"

    def add_arguments(self, parser):
        parser.add_argument("--processes", type=int, default=None, help="站点迁移进程数（默认 ZQ_MIGRATE_PROCESSES）")
        parser.add_argument("--normal", type=int, default=10, help="先按原方式逐站迁移多少个站点作对照（默认 10）")

    def handle(self, *args, processes: int | None, normal: int, **options):
        out = self.stdout.write
        before = migrate_sites(log=lambda _m: None, processes=processes)
        out(
            f"数据库 {connection.settings_dict['NAME']}：站点 {len(_live_schemas())} 个（先补齐迁移 {before.stale} 个，"
            f"{before.seconds:.1f} 秒）；负载 {_load()}"
        )
        with temporary_migration() as migration:
            state = migration_state_hash()
            out(f"临时迁移 {migration.app_label}.{migration.name}：{migration.table} 加列 {migration.column}（带索引）")
            sample = _live_schemas()[: max(0, normal)]
            started = time.perf_counter()
            for name in sample:
                migrate_one_site(name, state)
            if sample:
                seconds = time.perf_counter() - started
                per_site = seconds / len(sample)
                out(f"原方式（逐站 migrate_schemas）{len(sample)} 个站点：{seconds:.1f} 秒，每站 {per_site:.3f} 秒")
            deploy = setup_platform(0, log=out, processes=processes)
            sites = deploy.sites
            rest = deploy.seconds - deploy.shared_seconds - sites.seconds - deploy.template_seconds
            out(
                f"部署（setup_platform --pool 0）：共 {deploy.seconds:.1f} 秒 = 公共表迁移 {deploy.shared_seconds:.1f}"
                f" + 站点迁移 {sites.seconds:.1f} + 模板重建 {deploy.template_seconds:.1f} + 其余 {rest:.1f} 秒；"
                f"负载 {_load()}"
            )
            per_site = sites.seconds / max(1, sites.migrated)
            out(
                f"站点迁移：{sites.migrated} 个站点 {sites.seconds:.1f} 秒，每站 {per_site:.3f} 秒，"
                f"{sites.processes} 个进程，其中逐站执行 {sites.one_by_one} 个"
            )
            self._verify(migration, state)

    def _verify(self, migration, state: str) -> None:
        schemas = _live_schemas()
        template = current_template()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM information_schema.columns "
                "WHERE table_schema = ANY(%s) AND table_name = %s AND column_name = %s",
                [schemas, migration.table, migration.column],
            )
            columns = cursor.fetchone()[0]
            cursor.execute(
                "SELECT count(DISTINCT schemaname) FROM pg_indexes "
                "WHERE schemaname = ANY(%s) AND tablename = %s AND indexdef LIKE %s",
                [schemas, migration.table, f"%({migration.column})%"],
            )
            indexed = cursor.fetchone()[0]
            cursor.execute(
                "SELECT count(*) FROM information_schema.columns "
                "WHERE table_schema = %s AND table_name = %s AND column_name = %s",
                [template.schema_name if template else "", migration.table, migration.column],
            )
            in_template = cursor.fetchone()[0]
        recorded = Site.objects.filter(schema_name__in=schemas, migration_state=state).count()
        self.stdout.write(
            f"核对：{columns}/{len(schemas)} 个站点有新列，{indexed}/{len(schemas)} 个有其索引，"
            f"{recorded}/{len(schemas)} 个记录了新迁移状态；模板{'有' if in_template else '没有'}新列"
        )
        if not (columns == indexed == recorded == len(schemas) and in_template):
            raise CommandError("有站点没有得到新迁移的变更，见上面的核对结果。")


def _live_schemas() -> list[str]:
    """Every site's schema but archived closed sites' (dropped; the deploy skips them too)."""
    names = list(Site.objects.exclude(schema_name="public").order_by("pk").values_list("schema_name", flat=True))
    archived = archived_schemas(names)
    return [name for name in names if name not in archived]


def _load() -> str:
    one, five, _fifteen = os.getloadavg()
    return f"{one:.1f}/{five:.1f}（1/5 分钟）"
