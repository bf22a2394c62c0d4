"""Prometheus metrics: requests per site, task queue depth, sites and closures, provisioning.

Two kinds, for two reasons:

- Per-process counters (requests, provisioned sites) live in ``prometheus_client``. Under gunicorn
  every worker is a process: set ``PROMETHEUS_MULTIPROC_DIR`` (the Dockerfile and the manifests do)
  and the scrape sums every worker's files (``deploy/gunicorn.conf.py`` marks dead workers).
- Cluster-wide numbers (queue depth, sites by status, closures by status) are read from the
  database at scrape time: one answer whichever pod is scraped, and nothing to keep in step.

Label cardinality is bounded by the number of sites (the ``site`` label is the schema name; an
unknown host counts as ``unknown``), never by URLs or client addresses.
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Iterator

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.http.request import split_domain_port
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

# Every process of the image has the variable (Dockerfile), not only gunicorn's: the worker, the
# scheduler and the release job write their counters there too, so the folder must exist before the
# first metric is created (gunicorn's on_starting empties it for the web tier).
if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.makedirs(os.environ["PROMETHEUS_MULTIPROC_DIR"], exist_ok=True)

REQUESTS = Counter("zhanqun_http_requests_total", "HTTP 请求数（按站点与状态码类别）", ["site", "status"])
LATENCY = Histogram(
    "zhanqun_http_request_seconds",
    "HTTP 请求耗时（秒，全部站点）",
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
PROVISIONED = Counter("zhanqun_sites_provisioned_total", "本进程创建的站点数", ["method"])
SITE_CHANGES = Counter("zhanqun_site_changes_total", "站点变更事件数（创建、关停、归档……）", ["change"])

# django-tasks-db's table; absent until the worker's app is installed and migrated (then depth 0).
TASK_TABLE = "django_tasks_database_dbtaskresult"


def observe_request(site: str, status: int, seconds: float) -> None:
    REQUESTS.labels(site=site or "unknown", status=f"{status // 100}xx").inc()
    LATENCY.observe(seconds)


class ClusterCollector(Collector):
    """Numbers read from the database when Prometheus scrapes (never cached: a scrape is rare)."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        try:
            rows = _cluster_rows()
        except DatabaseError:
            connection.close()
            up = GaugeMetricFamily("zhanqun_database_up", "数据库是否可达（1 可达）")
            up.add_metric([], 0)
            yield up
            return
        up = GaugeMetricFamily("zhanqun_database_up", "数据库是否可达（1 可达）")
        up.add_metric([], 1)
        yield up
        for name, doc, label, values in rows:
            family = GaugeMetricFamily(name, doc, labels=[label])
            for key, count in values.items():
                family.add_metric([key], count)
            yield family

    def describe(self) -> list:
        return []  # collected lazily: nothing to register up front (and no query at import)


def _cluster_rows() -> list[tuple[str, str, str, dict[str, int]]]:
    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute("SELECT status, count(*) FROM tenants_site WHERE schema_name <> 'public' GROUP BY status")
        sites = dict(cursor.fetchall())
        cursor.execute("SELECT status, count(*) FROM closure_closure GROUP BY status")
        closures = dict(cursor.fetchall())
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [f"public.{TASK_TABLE}"])
        tasks: dict[str, int] = {"READY": 0, "RUNNING": 0, "FAILED": 0}
        if cursor.fetchone()[0]:
            wanted = "('READY', 'RUNNING', 'FAILED')"
            cursor.execute(f"SELECT status, count(*) FROM {TASK_TABLE} WHERE status IN {wanted} GROUP BY status")
            tasks.update(dict(cursor.fetchall()))
    return [
        ("zhanqun_sites", "站点数（按状态）", "status", sites),
        ("zhanqun_closures", "关停上移流程数（按状态）", "status", closures),
        ("zhanqun_task_queue", "后台任务数（READY 即队列深度）", "status", tasks),
    ]


def registry() -> CollectorRegistry:
    """This process's metrics, or every gunicorn worker's when ``PROMETHEUS_MULTIPROC_DIR`` is set."""
    scrape = CollectorRegistry(auto_describe=False)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(scrape)
    else:
        for collector in (REQUESTS, LATENCY, PROVISIONED, SITE_CHANGES):
            scrape.register(collector)
    scrape.register(ClusterCollector())
    return scrape


def allowed(request: HttpRequest) -> bool:
    """With ``ZQ_METRICS_TOKEN`` set: only ``Authorization: Bearer <token>``, on any host (the
    scraper reaches pods by IP). Without one: only on the platform console's own domain."""
    token = settings.ZQ_METRICS_TOKEN
    if token:
        given = request.META.get("HTTP_AUTHORIZATION", "")
        return hmac.compare_digest(given.encode(), f"Bearer {token}".encode())
    host = split_domain_port(request.META.get("HTTP_HOST", ""))[0]
    return host == settings.PLATFORM_DOMAIN


def metrics_response() -> HttpResponse:
    return HttpResponse(generate_latest(registry()), content_type=CONTENT_TYPE_LATEST)
