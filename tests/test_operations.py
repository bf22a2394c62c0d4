"""What an orchestrator and a monitoring system ask of every app process: /healthz, /readyz,
/metrics, JSON logs — answered on any host, before host routing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client

from tests.helpers import client_for
from tests.servers import ROOT, free_port, stop, wait_for_http


@pytest.mark.parametrize("host", ["10.1.2.3:8000", "unknown.example.org", "platform.localhost"])
def test_liveness_answers_on_any_host_without_touching_the_database(db, host, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = Client(HTTP_HOST=host).get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


def test_readiness_checks_database_and_cache(db):
    response = Client(HTTP_HOST="10.0.0.7").get("/readyz")
    assert response.status_code == 200, response.content
    checks = response.json()["checks"]
    assert checks["database"].startswith("ok") and checks["cache"].startswith("ok")


def test_probes_do_not_shadow_a_sites_pages(cluster):
    """Only exact probe paths are answered early: a site's own /healthz-like page is still routed."""
    response = client_for(cluster["county_a"]).get("/healthz-report/")
    assert response.status_code == 404  # routed to the site (no such page), not answered by the probe


def _gunicorn(env_extra: dict, workdir: Path) -> tuple[str, subprocess.Popen]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("XDG_RUNTIME_DIR", "GUNICORN_CONTROL_SOCKET")}
    env.update(
        HOME=str(workdir),
        DJANGO_SETTINGS_MODULE="zhanqun.settings.production",
        SECRET_KEY="test-" + os.urandom(16).hex(),
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="1",
        PYTHONPATH=str(ROOT / "platform"),
        **env_extra,
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "deploy/gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=(workdir / "gunicorn.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    wait_for_http(base + "/healthz")
    return base, process


def _get(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_with_the_database_down_the_pod_is_alive_but_not_ready(db, tmp_path):
    """Production settings (HTTPS redirect on): probes by IP are answered, not redirected; a
    database that does not answer makes /readyz 503 (out of the Service), /healthz stays 200 (no restart)."""
    dead = f"postgres://postgres@127.0.0.1:{free_port()}/nothing"
    base, process = _gunicorn({"DATABASE_URL": dead}, tmp_path)
    try:
        assert _get(base + "/healthz") == (200, {"status": "ok"})
        status, body = _get(base + "/readyz")
        assert status == 503
        assert body["status"] == "unavailable" and body["checks"]["database"].startswith("不可用")
        assert body["checks"]["cache"].startswith("ok")
    finally:
        stop(process)


def test_metrics_count_requests_per_site_and_read_cluster_numbers(cluster):
    client_for(cluster["county_a"]).get("/")
    client_for(cluster["county_a"]).get("/")
    client_for(cluster["county_b"]).get("/no-such-page/")

    assert client_for(cluster["county_a"]).get("/metrics").status_code == 404  # not on a site's host
    text = Client(HTTP_HOST="platform.localhost").get("/metrics").content.decode()
    a, b = cluster["county_a"].schema_name, cluster["county_b"].schema_name
    assert f'zhanqun_http_requests_total{{site="{a}",status="2xx"}}' in text
    assert f'zhanqun_http_requests_total{{site="{b}",status="4xx"}}' in text
    active = _sample(text, 'zhanqun_sites{status="active"}')
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM tenants_site WHERE status = 'active' AND schema_name <> 'public'")
        assert active == cursor.fetchone()[0]
    assert _sample(text, 'zhanqun_task_queue{status="READY"}') >= 0
    assert _sample(text, "zhanqun_database_up") == 1


def test_metrics_with_a_token_need_it_on_every_host(cluster, settings):
    settings.ZQ_METRICS_TOKEN = "s3cret-token"
    assert Client(HTTP_HOST="platform.localhost").get("/metrics").status_code == 404
    wrong = Client(HTTP_HOST="10.0.0.9", HTTP_AUTHORIZATION="Bearer nope").get("/metrics")
    assert wrong.status_code == 404
    right = Client(HTTP_HOST="10.0.0.9", HTTP_AUTHORIZATION="Bearer s3cret-token").get("/metrics")
    assert right.status_code == 200 and b"zhanqun_sites" in right.content


def _sample(text: str, name: str) -> float:
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[-1])
    raise AssertionError(f"{name} not in metrics")


def test_json_logs_are_one_object_a_line_in_chinese(db):
    env = {**os.environ, "ZQ_LOG_FORMAT": "json", "DATABASE_URL": "postgres://x@127.0.0.1:1/none"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    code = "import logging; logging.getLogger('zhanqun.test').warning('站点 %s 已创建', 'qingshan')"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    line = [row for row in result.stderr.splitlines() if row.startswith("{")][-1]
    record = json.loads(line)
    assert record["message"] == "站点 qingshan 已创建" and record["level"] == "WARNING"
    assert record["logger"] == "zhanqun.test" and "站点" in line  # not \\u-escaped


def test_every_process_of_the_image_starts_with_the_metrics_folder_set(db, tmp_path):
    """The image sets PROMETHEUS_MULTIPROC_DIR for all its processes (worker, scheduler, release job
    too): a management command must start even when the folder does not exist yet."""
    folder = tmp_path / "metrics-not-yet"
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(folder), "DATABASE_URL": "postgres://x@127.0.0.1:1/none"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    code = "from zhanqun.ops import metrics; metrics.observe_request('site_x', 200, 0.01); print('ok')"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0 and result.stdout.strip().endswith("ok"), result.stderr
    assert list(folder.glob("*.db"))  # the counters went to the shared folder
