"""Downloading a library attachment: only while its resource is public, on every backend.

A library file's URL (``/media/library/<name>``, see ``shared_library.storage``) always comes here,
in development and production, on local files and on S3, so the rule is decided once:

- visitors get the file of a published resource that is disclosed (not 不予公开), on a site that
  shows that resource (its own, or one it is syndicated to) or on the platform domain (the JSON
  API's links); a draft's, a pending one's, a withdrawn or an undisclosed one's file is 404;
- the resource's own editors (who may edit it in the library) still open it, to review it.

Local files are streamed with attachment/nosniff headers; on S3 the answer is a redirect to a
signed URL valid ``ZQ_DOWNLOAD_URL_SECONDS`` with the same headers forced on S3's answer.
"""

from __future__ import annotations

import posixpath

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.views.decorators.http import require_safe

from shared_library import services
from shared_library.models import Attachment, Disclosure, Resource, ResourceStatus
from shared_library.permissions import LibraryPermissionPolicy
from shared_library.storage import LibraryS3Storage, library_storage
from zhanqun.lib.downloads import file_response


def is_public(resource: Resource) -> bool:
    return resource.status == ResourceStatus.PUBLISHED and resource.disclosure != Disclosure.NOT_PUBLIC


def may_download(request: HttpRequest, resource: Resource) -> bool:
    site = services.acting_site(getattr(request, "tenant", None))
    if is_public(resource):
        return site is None or Resource.objects.visible_on(site).filter(pk=resource.pk).exists()
    user = getattr(request, "user", None)
    return (
        user is not None
        and LibraryPermissionPolicy(Resource).user_has_permission(user, "change")
        and services.owns(resource, site)
    )


@require_safe
def serve_library_file(request: HttpRequest, name: str) -> HttpResponse:
    name = posixpath.normpath(name).lstrip("/")
    if name.startswith(".."):
        raise Http404
    attachments = Attachment.objects.filter(file=name).select_related("resource__source_site")
    if not any(may_download(request, attachment.resource) for attachment in attachments):
        raise Http404
    storage = library_storage()
    if isinstance(storage, LibraryS3Storage):
        seconds = int(getattr(settings, "ZQ_DOWNLOAD_URL_SECONDS", 60))
        response: HttpResponse = HttpResponseRedirect(storage.signed_url(name, expire=seconds))
        add_never_cache_headers(response)  # the signed URL expires; a cached redirect would not
        return response
    try:
        response = file_response(storage.open(name), name)
    except (FileNotFoundError, IsADirectoryError) as error:
        raise Http404 from error
    patch_cache_control(response, no_cache=True)  # caches ask again: a withdrawal takes effect at once
    return response
