"""Media storage unreachable (S3 down, network cut): a clear Chinese error instead of a 500.

Public pages do not need the storage to render (file URLs are signed locally, without a call to
S3), so an outage only hits requests that read or write a file. Those used to end in a traceback
page from botocore. Storages that talk to S3 include ``OutageAwareS3Mixin``, which turns
botocore's connection errors into ``StorageUnavailable``; ``StorageUnavailableMiddleware`` answers
it with 503 and a message saying nothing was saved and to retry (Retry-After), as JSON for the
admin's background uploads. Nothing is half saved: Django writes the file before the row, so a
failed write leaves no row pointing at a missing file.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from botocore.exceptions import ConnectionError as BotoConnectionError
from botocore.exceptions import HTTPClientError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.html import escape
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30


class StorageUnavailable(Exception):
    """The media storage could not be reached; the operation did not happen."""


def _guarded(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return method(*args, **kwargs)
        except (BotoConnectionError, HTTPClientError) as exc:  # refused, timed out, reset
            raise StorageUnavailable(str(exc)) from exc

    return wrapper


class OutageAwareS3Mixin:
    """Every call that goes to S3 raises ``StorageUnavailable`` when S3 cannot be reached."""

    @_guarded
    def _save(self, name, content):
        return super()._save(name, content)

    @_guarded
    def _open(self, name, mode="rb"):
        return super()._open(name, mode)

    @_guarded
    def delete(self, name):
        return super().delete(name)

    @_guarded
    def exists(self, name):
        return super().exists(name)

    @_guarded
    def size(self, name):
        return super().size(name)

    @_guarded
    def listdir(self, name):
        return super().listdir(name)


def unavailable_message() -> str:
    return _("文件存储暂时无法访问，本次操作未保存任何内容。请稍后重试。")


class StorageUnavailableMiddleware:
    """503 with the Chinese message for any request whose storage call failed."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, StorageUnavailable):
            return None
        logger.warning("media storage unavailable on %s: %s", request.path, exception)
        message = unavailable_message()
        wants_json = request.headers.get("x-requested-with") == "XMLHttpRequest" or "json" in request.headers.get(
            "accept", ""
        )
        if wants_json:
            response: HttpResponse = JsonResponse({"success": False, "error_message": message}, status=503)
        else:
            title = escape(_("文件存储暂时无法访问"))
            body = (
                f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title></head>'
                f"<body><h1>{title}</h1><p>{escape(message)}</p></body></html>"
            )
            response = HttpResponse(body, status=503, content_type="text/html; charset=utf-8")
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
