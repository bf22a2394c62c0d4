"""Run the real task worker (``manage.py db_worker``) against the test database, as production does."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.db import connection

from tests.servers import ROOT, database_url

REAL_QUEUE = {"default": {"BACKEND": "jobs.backend.SchemaDatabaseBackend"}}


def worker_env(media_root: Path, **extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "zhanqun.settings.test",
        "DATABASE_URL": database_url(dict(connection.settings_dict)),
        "ZQ_TEST_TASKS_BACKEND": REAL_QUEUE["default"]["BACKEND"],
        "MEDIA_ROOT": str(media_root),
        "PYTHONPATH": str(ROOT / "platform"),
        **extra,
    }
    env.pop("REDIS_URL", None)
    return env


def run_worker_batch(media_root: Path, **extra: str) -> subprocess.CompletedProcess:
    """Process every task that is ready, in a separate worker process, then return."""
    return subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay", "--no-reload", "-v2"],
        cwd=ROOT, env=worker_env(media_root, **extra), capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
