"""Django's content-type cache, kept per schema instead of cleared on every schema switch.

Content types are a tenant app here: the public schema and each site schema have their own
``django_content_type`` table, and ids may differ between them. Django's ``ContentTypeManager`` keeps
one dict per database alias; this mapping gives it one dict per (alias, current schema of that
alias's connection), so an id read in schema A can never be returned in schema B, and a schema's
content types are read once per process instead of once per request.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import connections


class SchemaContentTypeCache:
    """Stands in for ``ContentTypeManager._cache`` (``{alias: {key: ContentType}}``)."""

    def __init__(self) -> None:
        self._by_schema: dict[tuple[str, str], dict] = {}

    @staticmethod
    def _key(alias: str) -> tuple[str, str]:
        return alias, getattr(connections[alias], "schema_name", None) or ""

    def __getitem__(self, alias: str) -> dict:
        return self._by_schema[self._key(alias)]

    def get(self, alias: str, default=None):
        return self._by_schema.get(self._key(alias), default)

    def setdefault(self, alias: str, default=None) -> dict:
        return self._by_schema.setdefault(self._key(alias), default if default is not None else {})

    def clear(self) -> None:
        """Everything (Django calls this after migrations and flushes)."""
        self._by_schema.clear()

    def forget_schema(self, schema_name: str) -> None:
        """One schema's entries: it was created, replaced or dropped (ids may be new)."""
        for key in [key for key in self._by_schema if key[1] == schema_name]:
            self._by_schema.pop(key, None)


def install() -> SchemaContentTypeCache:
    """Put the per-schema cache into Django's content-type manager (idempotent)."""
    if not isinstance(ContentType.objects._cache, SchemaContentTypeCache):
        ContentType.objects._cache = SchemaContentTypeCache()
    return ContentType.objects._cache
