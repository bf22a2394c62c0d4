"""Liveness and readiness, as a load balancer or the kubelet asks for them.

Why two: liveness (``/healthz``) says the process can answer at all and touches nothing else — a
database outage must not make Kubernetes kill every web pod, which would only add restarts to the
outage. Readiness (``/readyz``) says this process can serve a page now: the database and the cache
answer. A pod that is not ready is taken out of the Service until it is again.
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import JsonResponse

_PROBE_KEY = "zq:readyz"


def liveness() -> JsonResponse:
    return JsonResponse({"status": "ok"})


def readiness() -> JsonResponse:
    """200 with each dependency's round trip when all answer; 503 naming the one that does not."""
    checks: dict[str, str] = {}
    ready = True
    for name, probe in (("database", _database), ("cache", _cache)):
        started = time.perf_counter()
        try:
            probe()
        except Exception as exc:  # noqa: BLE001 - any failure means "not ready", said in the answer
            ready = False
            checks[name] = f"不可用：{type(exc).__name__}: {str(exc).strip()[:200]}"
        else:
            checks[name] = f"ok {1000 * (time.perf_counter() - started):.1f}ms"
    return JsonResponse({"status": "ok" if ready else "unavailable", "checks": checks}, status=200 if ready else 503)


def _database() -> None:
    """``SELECT 1`` on this thread's connection; a connection broken by a database restart is
    closed so that the next probe (and the next request) opens a fresh one."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        connection.close()
        raise


def _cache() -> None:
    value = str(time.time_ns())
    cache.set(_PROBE_KEY, value, 10)
    if cache.get(_PROBE_KEY) != value:
        raise RuntimeError("cache did not return what was just stored")
