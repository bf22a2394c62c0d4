"""Storage for library files: one fixed ``library/`` prefix whatever schema is current.

The tenant storage prefixes files with the current schema, which would store a library file under
the uploading site's prefix (and make its URL depend on which site renders it). Library files are
shared by every site, so they are stored once, under ``library/``, on the configured backend.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage
from storages.backends.s3 import S3Storage

LIBRARY_PREFIX = "library"


class LibraryFileSystemStorage(FileSystemStorage):
    """Local files under ``MEDIA_ROOT/library/`` served at ``MEDIA_URL library/``."""

    def path(self, name: str) -> str:
        return super().path(f"{LIBRARY_PREFIX}/{name}")

    def url(self, name: str | None) -> str:
        return super().url(f"{LIBRARY_PREFIX}/{name}" if name else name)


class LibraryS3Storage(S3Storage):
    """S3 objects under ``library/`` in the cluster's bucket."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("location", LIBRARY_PREFIX)
        super().__init__(**kwargs)


def library_storage() -> Storage:
    """Chosen like the default storage: S3 when a bucket is configured, local files otherwise.

    A callable (not an instance) so the model field's migration does not freeze the choice."""
    if getattr(settings, "AWS_STORAGE_BUCKET_NAME", ""):
        return LibraryS3Storage()
    return LibraryFileSystemStorage()
