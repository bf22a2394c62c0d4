"""Production settings are safe by Django's own deployment checklist and refuse to start unsafely."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.db import connection

from tests.servers import database_url

ROOT = Path(__file__).resolve().parents[1]


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "zhanqun.settings.production", **env}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def test_production_settings_pass_check_deploy(db):
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING",
        SECRET_KEY="a-long-random-production-key-" + os.urandom(24).hex(),
        DATABASE_URL=database_url(connection.settings_dict),
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(db):
    env = {"DATABASE_URL": database_url(connection.settings_dict)}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={k: v for k, v in {**os.environ, **env, "DJANGO_SETTINGS_MODULE": "zhanqun.settings.production"}.items()
             if k != "SECRET_KEY"},
        capture_output=True,
        text=True,
        timeout=120,
    )  # fmt: skip
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def start_gunicorn(port: int, home: Path, db_url: str, log: Path) -> subprocess.Popen:
    """deploy/gunicorn.conf.py as a deploy runs it, with HOME in a temporary folder."""
    env = {k: v for k, v in os.environ.items() if k not in ("XDG_RUNTIME_DIR", "GUNICORN_CONTROL_SOCKET")}
    env.update(
        HOME=str(home),
        DJANGO_SETTINGS_MODULE="zhanqun.settings.production",
        SECRET_KEY="test-" + os.urandom(16).hex(),
        DATABASE_URL=db_url,
        SECURE_SSL_REDIRECT="false",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="1",
        PYTHONPATH=str(ROOT / "platform"),
    )
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "deploy/gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )


def control_sockets(home: Path) -> dict[int, Path]:
    """Every gunicorn control socket under ``home``, by the port of the instance that answers on it."""
    from gunicorn.ctl.client import ControlClient, ControlClientError

    found = {}
    for path in sorted(home.rglob("*.ctl")):
        try:
            with ControlClient(str(path), timeout=5) as client:
                listeners = client.send_command("show listeners")["listeners"]
        except ControlClientError:
            continue
        for listener in listeners:
            found[int(listener["address"].rsplit(":", 1)[1])] = path
    return found


def test_two_gunicorn_instances_on_one_host_keep_their_own_control_sockets(db, tmp_path):
    from tests.servers import free_port, stop, wait_for_http

    home = tmp_path / "home"
    home.mkdir()
    ports = [free_port(), free_port()]
    url = database_url(connection.settings_dict)
    first = start_gunicorn(ports[0], home, url, tmp_path / "first.log")
    second = None
    try:
        wait_for_http(f"http://127.0.0.1:{ports[0]}/", host="unknown.localhost")
        second = start_gunicorn(ports[1], home, url, tmp_path / "second.log")
        wait_for_http(f"http://127.0.0.1:{ports[1]}/", host="unknown.localhost")
        sockets = control_sockets(home)
        assert set(sockets) == set(ports), (sockets, (tmp_path / "second.log").read_text()[-2000:])
        assert sockets[ports[0]] != sockets[ports[1]]
        stop(first)  # stopping one instance leaves the other's socket alone
        assert set(control_sockets(home)) == {ports[1]}
    finally:
        stop(first)
        if second is not None:
            stop(second)


def test_the_control_socket_can_be_placed_or_turned_off():
    config = runpy_config(GUNICORN_BIND="127.0.0.1:8123")
    assert config["control_socket"].endswith("zhanqun-127.0.0.1-8123.ctl")
    assert runpy_config(GUNICORN_CONTROL_SOCKET="/run/zq/a.ctl")["control_socket"] == "/run/zq/a.ctl"
    assert runpy_config(GUNICORN_CONTROL_SOCKET="off")["control_socket_disable"] is True


def runpy_config(**env: str) -> dict:
    import runpy
    from unittest import mock

    with mock.patch.dict(os.environ, env):
        return runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))
