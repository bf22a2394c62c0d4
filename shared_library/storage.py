"""Storage for library files: one fixed ``library/`` prefix whatever schema is current.

The tenant storage prefixes files with the current schema, which would store a library file under
the uploading site's prefix (and make its URL depend on which site renders it). Library files are
shared by every site, so they are stored once, under ``library/``, on the configured backend; like
the tenant storage, the prefix is the storage's root and never part of a stored name.

A library file's URL is always the guarded download view (``shared_library.downloads``) at
``<MEDIA_URL>library/<name>``, on S3 as well: the view serves a file only while its resource is
published and disclosed, then streams it (local files) or redirects to a short-lived signed URL.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.encoding import filepath_to_uri
from django.utils.functional import LazyObject, empty
from storages.backends.s3 import S3Storage

from tenants.storage import DownloadHeadersS3Mixin
from zhanqun.lib.downloads import s3_response_overrides
from zhanqun.lib.storage_outage import OutageAwareS3Mixin

LIBRARY_PREFIX = "library"


def files_url_path() -> str:
    """The path library file URLs start with (``/media/library/``); the download view is routed there."""
    media_url = settings.MEDIA_URL if settings.MEDIA_URL.startswith("/") else "/media/"
    return f"{media_url.rstrip('/')}/{LIBRARY_PREFIX}/"


def library_url(name: str) -> str:
    return files_url_path() + filepath_to_uri(name)


class LibraryFileSystemStorage(FileSystemStorage):
    """Local files under ``MEDIA_ROOT/library/``."""

    @property  # type: ignore[override]
    def location(self) -> str:
        return os.path.join(os.path.abspath(self.base_location), LIBRARY_PREFIX)

    def url(self, name: str | None) -> str:
        return library_url(name or "")


class LibraryS3Storage(OutageAwareS3Mixin, DownloadHeadersS3Mixin, S3Storage):
    """S3 objects under ``library/`` in the cluster's bucket."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("location", LIBRARY_PREFIX)
        super().__init__(**kwargs)

    def url(self, name: str, parameters=None, expire=None, http_method=None) -> str:
        return library_url(name)

    def signed_url(self, name: str, expire: int) -> str:
        """A URL S3 answers for ``expire`` seconds, with the download headers forced on the answer."""
        return super().url(name, parameters=s3_response_overrides(name), expire=expire)


class LibraryStorage(LazyObject):
    """Chosen like the default storage: S3 when a bucket is configured, local files otherwise.

    Lazy and reset when those settings change, so the model field (which keeps the object it is
    given) follows the settings of the moment rather than those at import."""

    def _setup(self) -> None:
        if getattr(settings, "AWS_STORAGE_BUCKET_NAME", ""):
            self._wrapped = LibraryS3Storage()
        else:
            self._wrapped = LibraryFileSystemStorage()


_library_storage = LibraryStorage()


def library_storage() -> Storage:
    """A callable (not an instance) so the model field's migration does not freeze the choice."""
    return _library_storage


@receiver(setting_changed)
def _reset_library_storage(*, setting: str, **kwargs) -> None:
    if setting in {"STORAGES", "MEDIA_ROOT", "MEDIA_URL"} or setting.startswith("AWS_"):
        _library_storage._wrapped = empty
