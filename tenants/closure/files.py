"""Copying a file from X's storage to P's.

The storage prefix follows the current schema (``tenants.storage``), so a file is read in X's schema
and written in P's. A copy is named ``<folder>/<X's slug>/<file name>`` (``documents/t-town/通知.pdf``):
P's own ``documents/通知.pdf`` is never touched, the public file name is kept, and the name is
deterministic, so a run interrupted after writing a file but before committing its row overwrites
that orphan on resume instead of leaving ``通知_a8Xk2.pdf`` behind.
"""

from __future__ import annotations

import posixpath
import shutil
import tempfile

from django.core.files import File
from django.core.files.storage import Storage
from django_tenants.utils import schema_context

SPOOL_BYTES = 8 * 1024 * 1024  # larger files go through a temporary file, not memory


def copy_name(name: str, folder: str, max_length: int) -> str:
    """``documents/通知.pdf`` -> ``documents/<folder>/通知.pdf``, shortened (keeping the extension) to fit."""
    directory, base = posixpath.split(name)
    new = posixpath.join(directory, folder, base)
    if len(new) > max_length:
        stem, ext = posixpath.splitext(base)
        keep = max(1, len(stem) - (len(new) - max_length))
        new = posixpath.join(directory, folder, stem[:keep] + ext)
    return new


def copy_file(storage: Storage, name: str, from_schema: str, to_schema: str, new_name: str, max_length: int) -> str:
    """Copy ``name`` from one schema's prefix to ``new_name`` in another's; returns the saved name."""
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as buffer:
        with schema_context(from_schema), storage.open(name, "rb") as source:
            shutil.copyfileobj(source, buffer)
        buffer.seek(0)
        with schema_context(to_schema):
            if storage.exists(new_name):  # an orphan of an interrupted run (only copies live in this folder)
                storage.delete(new_name)
            return storage.save(new_name, File(buffer, name=posixpath.basename(new_name)), max_length=max_length)


def delete_file(storage: Storage, name: str, schema: str) -> None:
    with schema_context(schema):
        if name and storage.exists(name):
            storage.delete(name)


def delete_folder(storage: Storage, folder: str, schema: str) -> None:
    """Remove every file of a copy folder (``documents/<X's slug>``), orphans of interrupted runs included."""
    with schema_context(schema):
        try:
            _dirs, names = storage.listdir(folder)
        except FileNotFoundError:
            return
        for name in names:
            storage.delete(posixpath.join(folder, name))
