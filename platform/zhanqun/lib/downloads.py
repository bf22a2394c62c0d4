"""How stored files are handed to browsers: the one place that decides type and disposition.

Only raster images are shown inline (they appear in pages); everything else is an attachment under
its own name (RFC 6266/5987, so Chinese names survive), with a content type from the type table,
``nosniff`` and a sandboxing CSP, so no stored file can run as a page on a site's origin. The same
headers go on S3 objects at upload, because S3 answers browsers directly.
"""

from __future__ import annotations

import mimetypes
import posixpath
from typing import IO

from django.http import FileResponse
from django.utils.http import content_disposition_header

from zhanqun.lib.filetypes import ALLOWED, extension_of

INLINE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp", "image/avif"})
SANDBOX_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


def content_type_for(name: str) -> str:
    """The type table's content type; beyond it only raster images keep theirs (e.g. avif renditions)."""
    known = ALLOWED.get(extension_of(name))
    if known:
        return known.content_type
    guessed = mimetypes.guess_type(posixpath.basename(name))[0]
    return guessed if guessed in INLINE_TYPES else "application/octet-stream"


def disposition_for(name: str) -> str | None:
    """``attachment; filename…`` for everything but inline images (``None``: leave the default)."""
    if content_type_for(name) in INLINE_TYPES:
        return None
    return content_disposition_header(as_attachment=True, filename=posixpath.basename(name))


def s3_object_parameters(name: str) -> dict[str, str]:
    """``ContentType`` and, for downloads, ``ContentDisposition`` stored with an S3 object."""
    params = {"ContentType": content_type_for(name)}
    disposition = disposition_for(name)
    if disposition:
        params["ContentDisposition"] = disposition
    return params


def s3_response_overrides(name: str) -> dict[str, str]:
    """The same, as a signed URL's ``response-*`` overrides (which also cover objects stored earlier)."""
    return {f"Response{key}": value for key, value in s3_object_parameters(name).items()}


def protect(response, name: str):
    """Add the type, disposition and no-sniffing headers for the file ``name`` to ``response``."""
    response["Content-Type"] = content_type_for(name)
    disposition = disposition_for(name)
    if disposition:
        response["Content-Disposition"] = disposition
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX_CSP
    return response


def file_response(file: IO[bytes], name: str) -> FileResponse:
    """Stream an open stored file (local or remote) with ``protect``'s headers."""
    return protect(FileResponse(file), name)
