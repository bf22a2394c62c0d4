"""A site's own media files (local storage), served by the app in development and production alike.

A host serves only its own schema's prefix: ``/media/<its schema>/…``. Any other prefix — another
site's, the platform's, a path that climbs out with ``..`` — is 404, so one site's domain never hands
out another site's files. Documents are not served here at all: they go through Wagtail's
``/documents/<id>/<name>`` view, which applies collection privacy. With S3 (or ``ZQ_SERVE_MEDIA``
off, when something in front serves the files) this view answers 404 to everything.
"""

from __future__ import annotations

import os
import posixpath
import stat

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.http import http_date
from django.views.decorators.http import require_safe
from django.views.static import was_modified_since

from tenants.storage import TenantFileSystemStorage
from zhanqun.lib.downloads import file_response

# Folders of a site's media that are never served directly.
PRIVATE_FOLDERS = frozenset({"documents"})


@require_safe
def serve_site_media(request: HttpRequest, path: str) -> HttpResponse:
    if not getattr(settings, "ZQ_SERVE_MEDIA", True) or not isinstance(default_storage, TenantFileSystemStorage):
        raise Http404
    prefix, _, name = posixpath.normpath(path).lstrip("/").partition("/")
    if prefix != connection.schema_name or not name or name.split("/", 1)[0] in PRIVATE_FOLDERS:
        raise Http404
    try:
        full_path = default_storage.path(name)
        file_stat = os.stat(full_path)
    except (SuspiciousFileOperation, OSError) as error:
        raise Http404 from error
    if not stat.S_ISREG(file_stat.st_mode):
        raise Http404
    if not was_modified_since(request.META.get("HTTP_IF_MODIFIED_SINCE"), file_stat.st_mtime):
        return HttpResponseNotModified()
    response = file_response(open(full_path, "rb"), name)  # noqa: SIM115 - closed by the response
    response["Last-Modified"] = http_date(file_stat.st_mtime)
    return response
