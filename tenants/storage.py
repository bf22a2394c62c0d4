"""Media storage with one prefix per schema: ``<schema>/original_images/…``.

A file saved, replaced or deleted in one site can therefore never touch another site's file with the
same name; the shared library's files (saved from the public schema) live once under ``public/``.
"""

from __future__ import annotations

from django.core.files.storage import FileSystemStorage
from django.db import connection
from storages.backends.s3 import S3Storage


def current_prefix() -> str:
    return getattr(connection, "schema_name", None) or "public"


class TenantFileSystemStorage(FileSystemStorage):
    """Local files under ``MEDIA_ROOT/<schema>/`` served at ``MEDIA_URL<schema>/``."""

    def path(self, name: str) -> str:
        return super().path(f"{current_prefix()}/{name}")

    def url(self, name: str | None) -> str:
        return super().url(f"{current_prefix()}/{name}" if name else name)

    def _save(self, name, content) -> str:
        """Django answers the saved name relative to MEDIA_ROOT, i.e. with the schema prefix that
        ``path()`` added; the name kept in the database must be without it, or it doubles on reopening."""
        saved = super()._save(name, content)
        prefix = f"{current_prefix()}/"
        return saved[len(prefix) :] if saved.startswith(prefix) else saved


class TenantS3Storage(S3Storage):
    """S3 objects under ``<schema>/``. ``location`` is computed per call, never configured."""

    @property  # type: ignore[override]
    def location(self) -> str:
        return current_prefix()

    @location.setter
    def location(self, _value: str) -> None:  # S3Storage.__init__ assigns its settings
        pass
