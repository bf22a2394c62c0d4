"""The first middleware: answers the probes and the metrics scrape, and counts every request.

Why first, before the security headers and host routing: the kubelet and load balancers call pods by
IP address with no site's host name (routing would answer 404, and production's HTTPS redirect 301),
and a liveness answer must not depend on the Domain table being reachable. Nothing else is answered
here, so every page still goes through the full chain.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseNotFound

from zhanqun.ops import health, metrics

PROBES: dict[str, Callable[[], HttpResponse]] = {"/healthz": health.liveness, "/readyz": health.readiness}


class OperationsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info.rstrip("/") or "/"
        if request.method in ("GET", "HEAD"):
            if path in PROBES:
                return _no_store(PROBES[path]())
            if path == "/metrics":
                if not metrics.allowed(request):
                    return HttpResponseNotFound()  # as if it were not there (the host's own 404 chain is skipped)
                return _no_store(metrics.metrics_response())
        started = time.perf_counter()
        response = self.get_response(request)
        tenant = getattr(request, "tenant", None)
        metrics.observe_request(getattr(tenant, "schema_name", ""), response.status_code, time.perf_counter() - started)
        return response


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response
