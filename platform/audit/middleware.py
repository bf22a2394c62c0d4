"""The request being answered, for audit rows written far from any view.

Wagtail's publishing and workflow signals (and any service called from a view without its
request) know nothing of the HTTP request, yet their audit rows must carry the client address.
This middleware keeps the current request in a context variable that :func:`audit.log.record`
falls back to; outside a request (management commands, tasks) there is none and rows carry no
address.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

_current_request: ContextVar[HttpRequest | None] = ContextVar("audit_current_request", default=None)


def current_request() -> HttpRequest | None:
    return _current_request.get()


class CurrentRequestMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)
