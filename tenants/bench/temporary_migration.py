"""A real new tenant migration for a benchmark, never written into the source tree.

Why like this: measuring a deploy needs a migration the database has not seen, made by the same
machinery as a real one. The app's migrations are copied into a package in a temporary folder, one
new migration is added there (a column with an index on ``content_articlepage``, the shape of a
typical release), and ``MIGRATION_MODULES`` points the app at that package for the block. The
code's migration-state hash changes with it, so every site is stale exactly as after a release.
Afterwards the setting, the hash and ``sys.path`` are restored and the folder is removed; the
database keeps the column (use a copy of a database for the benchmark).
"""

from __future__ import annotations

import contextlib
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

from django.apps import apps
from django.db.migrations.loader import MigrationLoader
from django.test.utils import override_settings

from tenants.schema_template import migration_state_hash

TEMPLATE = '''from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [({app!r}, {parent!r})]

    operations = [
        migrations.AddField(
            model_name="articlepage",
            name={column!r},
            field=models.CharField(blank=True, db_index=True, default="", max_length=64, verbose_name="基准测试字段"),
        ),
    ]
'''


@dataclass(frozen=True)
class BenchMigration:
    app_label: str
    name: str
    table: str
    column: str


@contextlib.contextmanager
def temporary_migration(app_label: str = "content") -> Iterator[BenchMigration]:
    """For the block, ``app_label`` has one more migration: a new indexed column on its article table."""
    app = apps.get_app_config(app_label)
    source = Path(import_module(f"{app.name}.migrations").__file__).parent
    on_disk = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    leaf = max(name for label, name in on_disk if label == app_label)
    stamp = time.strftime("%m%d%H%M%S")
    column = f"zz_bench_{stamp}"
    name = f"{int(leaf[:4]) + 1:04d}_{column}"
    folder = Path(tempfile.mkdtemp(prefix="zq-bench-migration-"))
    package = f"zq_bench_{app_label}_migrations_{stamp}"
    shutil.copytree(source, folder / package, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / package / f"{name}.py").write_text(TEMPLATE.format(app=app_label, parent=leaf, column=column))
    sys.path.insert(0, str(folder))
    migration_state_hash.cache_clear()
    try:
        with override_settings(MIGRATION_MODULES={app_label: package}):
            yield BenchMigration(app_label, name, app.get_model("articlepage")._meta.db_table, column)
    finally:
        migration_state_hash.cache_clear()
        sys.path.remove(str(folder))
        for module in [module for module in sys.modules if module.startswith(package)]:
            del sys.modules[module]
        shutil.rmtree(folder, ignore_errors=True)
