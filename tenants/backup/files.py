"""A site's media files and the library's files, through the configured storages (local or S3).

The tenant storage roots every name at the current schema's prefix, so listing and writing inside
``schema_context`` reads and writes exactly one site's files (``tenants.storage``)."""

from __future__ import annotations

from collections.abc import Iterator

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from django_tenants.utils import schema_context


def walk(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file name under ``folder`` (relative to the storage's root), depth first."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        yield from walk(storage, f"{folder}/{sub}" if folder else sub)


def site_files(schema_name: str) -> list[str]:
    with schema_context(schema_name):
        return list(walk(default_storage))


def read_site_file(schema_name: str, name: str) -> bytes:
    with schema_context(schema_name), default_storage.open(name, "rb") as handle:
        return handle.read()


def put_exact(storage: Storage, name: str, data: bytes) -> None:
    """Store ``data`` under exactly ``name`` (an older file of that name is replaced)."""
    if storage.exists(name):
        storage.delete(name)
    saved = storage.save(name, ContentFile(data))
    if saved != name:
        storage.delete(saved)
        raise OSError(f"storage renamed {name} to {saved}")


def write_site_file(schema_name: str, name: str, data: bytes) -> None:
    with schema_context(schema_name):
        put_exact(default_storage, name, data)


def delete_site_file(schema_name: str, name: str) -> None:
    with schema_context(schema_name):
        default_storage.delete(name)
