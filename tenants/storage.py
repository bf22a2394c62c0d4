"""Media storage with one prefix per schema: ``<schema>/original_images/…``.

A file saved, replaced or deleted in one site can therefore never touch another site's file with the
same name; the shared library's files (saved from the public schema) live once under ``library/``.

The prefix belongs to the storage, never to the stored name: the backend's root (``location``, and
``base_url`` for local files) is computed per call from the current schema, and names are relative
to it. That keeps ``save``/``path``/``url``/``exists``/``delete``/``listdir`` agreeing with each
other (a name that carried the prefix as well would be prefixed twice). A storage may be pinned to
one schema (``schema=``); ``deconstruct`` always pins it, because Wagtail queues file deletes as
tasks carrying the deconstructed storage, and a worker runs them without any tenant.

Names are never reused: a second ``report.pdf`` in the same site gets its own name on S3 too
(django-storages overwrites by default), and S3 objects carry the content type and disposition
browsers must see (``zhanqun.lib.downloads``), since S3 answers them directly.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import connection
from storages.backends.s3 import S3Storage

from zhanqun.lib.downloads import s3_object_parameters
from zhanqun.lib.storage_outage import OutageAwareS3Mixin


def current_prefix() -> str:
    return getattr(connection, "schema_name", None) or "public"


class TenantFileSystemStorage(FileSystemStorage):
    """Local files under ``MEDIA_ROOT/<schema>/`` served at ``MEDIA_URL<schema>/``."""

    def __init__(self, *args, schema: str | None = None, **kwargs) -> None:
        self._schema = schema
        super().__init__(*args, **kwargs)

    @property
    def prefix(self) -> str:
        return self._schema or current_prefix()

    @property  # type: ignore[override]
    def location(self) -> str:
        return os.path.join(os.path.abspath(self.base_location), self.prefix)

    @property  # type: ignore[override]
    def base_url(self) -> str:
        root = self._value_or_setting(self._base_url, settings.MEDIA_URL)
        return f"{root.rstrip('/')}/{self.prefix}/"

    def deconstruct(self):
        path, args, kwargs = super().deconstruct()
        return path, args, {**kwargs, "schema": self.prefix}


class DownloadHeadersS3Mixin:
    """Store every object with the content type and disposition it must be served with."""

    file_overwrite = False  # a class attribute wins over AWS_S3_FILE_OVERWRITE (True by default)

    def get_object_parameters(self, name: str) -> dict:
        return {**super().get_object_parameters(name), **s3_object_parameters(name)}


class TenantS3Storage(OutageAwareS3Mixin, DownloadHeadersS3Mixin, S3Storage):
    """S3 objects under ``<schema>/``. ``location`` is computed per call, never configured."""

    def __init__(self, *, schema: str | None = None, **kwargs) -> None:
        self._schema = schema
        super().__init__(**kwargs)

    @property  # type: ignore[override]
    def location(self) -> str:
        return self._schema or current_prefix()

    @location.setter
    def location(self, _value: str) -> None:  # S3Storage.__init__ assigns its settings
        pass

    def deconstruct(self):
        path, args, kwargs = super().deconstruct()
        return path, args, {**kwargs, "schema": self.location}
