"""The embedded PostgreSQL changes no folder that is not its own, says what it creates, and stops on request.

Run as root (as CI and many containers are), PostgreSQL must run as some other user. These tests run
the real thing in temporary folders: a project under a 0700 "home", a data root of their own, a
throwaway system user (removed afterwards), and compare every parent folder's mode before and after.
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import stat
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import psycopg2
import pytest

from zhanqun.lib import embedded_db

ROOT = Path(__file__).resolve().parents[1]
as_root = pytest.mark.skipif(os.geteuid() != 0, reason="the root behaviour needs root (CI runs as root)")
as_user = pytest.mark.skipif(os.geteuid() == 0, reason="the normal-user behaviour needs a normal user")

START = (
    "import json, sys, pathlib; from zhanqun.lib import embedded_db; "
    "print(json.dumps(embedded_db.database_settings(pathlib.Path(sys.argv[1]))))"
)


def modes(*paths: Path) -> dict[str, int]:
    """The mode of each path and of every folder above it."""
    seen: dict[str, int] = {}
    for path in paths:
        for folder in [path, *path.parents]:
            if folder.exists():
                seen[str(folder)] = stat.S_IMODE(folder.stat().st_mode)
    return seen


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    environment = {**os.environ, "PYTHONPATH": str(ROOT / "platform"), **env}
    environment.pop("DATABASE_URL", None)
    return subprocess.run(args, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120)


@pytest.fixture
def sandbox():
    """A 0755 folder of our own under /tmp (so a system user can reach into it), removed afterwards;
    inside it a project whose "home" folder is 0700, as a real user's home is."""
    base = Path(tempfile.mkdtemp(prefix="zq-embedded-", dir="/tmp"))
    base.chmod(0o755)
    home = base / "home"
    home.mkdir()
    home.chmod(0o700)
    var_dir = home / "project" / "var"
    var_dir.mkdir(parents=True)
    yield base, var_dir
    shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def throwaway_user():
    name = f"zqt{uuid.uuid4().hex[:8]}"
    yield name
    subprocess.run(["userdel", name], capture_output=True, check=False)


@as_root
def test_as_root_it_keeps_data_in_its_own_folder_says_what_it_created_and_stops(sandbox, throwaway_user):
    base, var_dir = sandbox
    data_root = base / "lib" / "zhanqun"
    env = {"ZQ_EMBEDDED_DB_ROOT": str(data_root), "ZQ_EMBEDDED_DB_USER": throwaway_user, "ZQ_VAR_DIR": str(var_dir)}
    watched = [var_dir, data_root, embedded_db.pg_bin_dir(), embedded_db.pg_bin_dir().parent / "lib"]
    before = modes(*watched)
    started = run([sys.executable, "-c", START, str(var_dir)], env)
    try:
        assert started.returncode == 0, started.stderr
        said = started.stderr
        assert f"已创建系统用户 {throwaway_user}（无登录 shell、无主目录）" in said
        assert f"已创建文件夹 {data_root}" in said and "已创建数据目录" in said
        assert "已启动" in said and "./zq stop-db" in said

        account = pwd.getpwnam(throwaway_user)
        assert account.pw_shell.endswith(("nologin", "false")) and not Path(account.pw_dir).exists()
        (data_dir,) = data_root.glob("*/pgdata")
        assert data_dir.stat().st_uid == account.pw_uid and stat.S_IMODE(data_dir.stat().st_mode) == 0o700
        assert not (var_dir / "pgdata").exists()

        settings = json.loads(started.stdout)
        with (
            psycopg2.connect(
                dbname=settings["NAME"], user=settings["USER"], host=settings["HOST"], port=settings["PORT"]
            ) as connection,
            connection.cursor() as cursor,
        ):
            cursor.execute("SHOW data_directory")
            assert cursor.fetchone()[0] == str(data_dir)
        after = modes(*watched)
        assert {k: v for k, v in after.items() if k in before} == before  # no folder was opened up
        assert after[str(var_dir.parent.parent)] == 0o700  # the "home" stays private

        again = run([sys.executable, "-c", START, str(var_dir)], env)
        assert again.returncode == 0 and again.stderr == ""  # reused quietly

        stopped = run(["./zq", "stop-db"], env)
        assert stopped.returncode == 0, stopped.stderr
        assert "已停止内置 PostgreSQL" in stopped.stdout
        assert not (data_dir / "postmaster.pid").exists()
    finally:
        run([sys.executable, "-m", "zhanqun.lib.embedded_db", "stop"], env)


@as_root
def test_as_root_it_refuses_clearly_rather_than_open_a_private_folder(sandbox, tmp_path, throwaway_user):
    _base, var_dir = sandbox
    data_root = tmp_path / "lib"  # under /tmp/pytest-of-root, which is 0700
    env = {"ZQ_EMBEDDED_DB_ROOT": str(data_root), "ZQ_EMBEDDED_DB_USER": throwaway_user}
    before = modes(data_root, var_dir)
    result = run([sys.executable, "-c", START, str(var_dir)], env)
    assert result.returncode != 0
    assert "无法进入" in result.stderr and "不会修改其他文件夹的权限" in result.stderr
    assert "DATABASE_URL" in result.stderr
    assert modes(data_root, var_dir) == before
    assert not data_root.exists()
    with pytest.raises(KeyError):
        pwd.getpwnam(throwaway_user)


@as_root
def test_django_settings_refuse_without_a_traceback(sandbox, tmp_path, throwaway_user):
    _base, var_dir = sandbox
    env = {
        "ZQ_EMBEDDED_DB_ROOT": str(tmp_path / "lib"),
        "ZQ_EMBEDDED_DB_USER": throwaway_user,
        "ZQ_VAR_DIR": str(var_dir),
        "DJANGO_SETTINGS_MODULE": "zhanqun.settings.dev",
    }
    result = run([sys.executable, "manage.py", "check"], env)
    assert result.returncode != 0
    assert result.stderr.startswith("[内置数据库]") and "Traceback" not in result.stderr


@as_user
def test_as_a_normal_user_it_keeps_data_in_the_project_and_changes_no_permission(sandbox):
    _base, var_dir = sandbox
    before = modes(var_dir)
    started = run([sys.executable, "-c", START, str(var_dir)], {})
    try:
        assert started.returncode == 0, started.stderr
        assert (var_dir / "pgdata" / "PG_VERSION").exists()
        assert modes(var_dir) == {k: v for k, v in modes(var_dir).items() if k in before} == before
    finally:
        run([sys.executable, "-m", "zhanqun.lib.embedded_db", "stop"], {"ZQ_VAR_DIR": str(var_dir)})
