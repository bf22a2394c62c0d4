"""``migrate_schemas`` without the schemas of archived sites (``GET_EXECUTOR_FUNCTION`` setting).

An archived closed site keeps its tenant row (its domains still answer 301/410 from the public
schema) but its schema was dumped to storage and dropped. django-tenants migrates every tenant row's
schema, and would fail on the missing one at the next deploy (``setup_platform``). Only a schema
that is missing *and* belongs to an archived closure is skipped: any other missing schema is still
an error, as it should be.
"""

from __future__ import annotations

from django_tenants.migration_executors import get_executor as stock_get_executor
from django_tenants.utils import get_public_schema_name, schema_exists

from tenants.closure.models import Closure, ClosureStatus


def archived_schemas(schema_names: list[str]) -> set[str]:
    archived = Closure.objects.filter(status=ClosureStatus.ARCHIVED, site__schema_name__in=schema_names)
    return {name for name in archived.values_list("site__schema_name", flat=True) if not schema_exists(name)}


def _without_archived(tenants) -> list:
    tenants = list(tenants or [])
    names = [t[0] if isinstance(t, tuple | list) else t for t in tenants]
    if not [name for name in names if name != get_public_schema_name()]:
        return tenants  # the shared run: the closure tables may not exist yet
    skip = archived_schemas(names)
    return [t for t, name in zip(tenants, names, strict=True) if name not in skip]


def get_executor(codename: str | None = None):
    base = stock_get_executor(codename)

    class SkipArchivedExecutor(base):
        def run_migrations(self, tenants=None):
            return super().run_migrations(tenants=_without_archived(tenants))

        def run_multi_type_migrations(self, tenants):
            return super().run_multi_type_migrations(tenants=_without_archived(tenants))

    SkipArchivedExecutor.__name__ = f"SkipArchived{base.__name__}"
    return SkipArchivedExecutor
