"""The database goes away under a running app server (issue #20, "PostgreSQL restarted during a load
run"): requests answer 503 with a Chinese message while it is away, never a 500 or a traceback, and
the first request after it is back is served on a fresh connection.

The shared PostgreSQL must not be restarted, so its effects are made on the test database only: the
app server's own connections are killed (``pg_terminate_backend``, found by the ``application_name``
it connects with) and, for the outage, the test database refuses new connections
(``ALLOW_CONNECTIONS false``, which binds superusers too) — what a restarting server answers."""

from __future__ import annotations

import urllib.error
import urllib.request

import psycopg2
import pytest
from django.db import connection

from tests.cluster import host
from tests.servers import database_url, start_app_server, stop

APPLICATION = "zq-db-restart-test"


@pytest.fixture
def server(django_db_setup, django_db_blocker, tmp_path):
    """One gunicorn (1 worker, 2 threads) on the test database, and an autocommit admin connection."""
    with django_db_blocker.unblock():
        settings_dict = dict(connection.settings_dict)
    url = database_url(settings_dict) + f"?application_name={APPLICATION}"
    base, process = start_app_server(settings_dict, tmp_path, DATABASE_URL=url, GUNICORN_WORKERS="1")
    # From the maintenance database: a database cannot refuse connections while one is using it to do so.
    maintenance = {**settings_dict, "NAME": "postgres"}
    admin = psycopg2.connect(database_url(maintenance) + "?application_name=zq-db-restart-admin")
    admin.autocommit = True
    try:
        yield base, admin, settings_dict["NAME"]
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'ALTER DATABASE "{settings_dict["NAME"]}" ALLOW_CONNECTIONS true')
        admin.close()
        stop(process)


def get(base: str, path: str = "/") -> tuple[int, str, dict]:
    request = urllib.request.Request(base + path, headers={"Host": host("county_a")})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), dict(error.headers)


def kill_app_connections(admin) -> int:
    with admin.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = %s",
            [APPLICATION],
        )
        return cursor.fetchone()[0]


def test_killed_connections_are_replaced_and_an_outage_answers_503_not_500(db, server):
    base, admin, database = server
    for _ in range(4):  # both threads hold a kept connection
        assert get(base)[0] == 200

    # 1. Connections cut (what a restart leaves behind): the next requests are served, on new ones.
    assert kill_app_connections(admin) >= 1
    for _ in range(4):
        assert get(base)[0] == 200

    # 2. The database refuses connections (a restart in progress): 503, Chinese, no traceback.
    with admin.cursor() as cursor:
        cursor.execute(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS false')
    kill_app_connections(admin)
    for path in ("/", "/hudong/"):
        status, body, headers = get(base, path)
        assert status == 503, (path, status)
        assert "网站数据库暂时无法访问" in body and "Traceback" not in body
        assert headers["Retry-After"] == "10"

    # 3. It is back: the very next request is served.
    with admin.cursor() as cursor:
        cursor.execute(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS true')
    status, body, _headers = get(base)
    assert status == 200 and "网站数据库暂时无法访问" not in body
