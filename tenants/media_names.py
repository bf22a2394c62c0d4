"""Repair file names stored while local storage put the schema prefix into them.

Before the fix in ``tenants.storage``, a file saved on local storage was written to the right place
(``MEDIA_ROOT/<schema>/original_images/x.png``) but its name was stored *with* the prefix
(``<schema>/original_images/x.png``), so every later use prefixed it again and missed the file; the
library's names likewise began with ``library/``. The files are where they should be: only the names
need the prefix taken off. Such a name can only have come from that bug (upload folders never start
with a schema name or ``library/``; S3 names never carried the prefix), so the repair is safe to run
on any backend, and running it again changes nothing.
"""

from __future__ import annotations

from django.apps import apps
from django.db import connection
from django.db.models.functions import Substr
from django_tenants.utils import schema_context, schema_exists

from shared_library.models import Attachment
from tenants.models import Site

# Wagtail's file-bearing models in every schema.
SCHEMA_FILE_MODELS = [("wagtailimages", "Image"), ("wagtailimages", "Rendition"), ("wagtaildocs", "Document")]


def _strip(model, prefix: str, *, dry_run: bool) -> int:
    rows = model.objects.filter(file__startswith=prefix)
    if dry_run:
        return rows.count()
    return rows.update(file=Substr("file", len(prefix) + 1))


def repair_stored_names(*, dry_run: bool = False) -> dict[str, int]:
    """Strip the doubled prefix everywhere; returns the number of names per schema (and "library")."""
    repaired: dict[str, int] = {}
    schemas = ["public"] + sorted(set(Site.objects.exclude(schema_name="public").values_list("schema_name", flat=True)))
    for schema in schemas:
        if not schema_exists(schema):
            continue
        with schema_context(schema):
            count = sum(_strip(apps.get_model(*label), f"{schema}/", dry_run=dry_run) for label in SCHEMA_FILE_MODELS)
        if count:
            repaired[schema] = count
    connection.set_schema_to_public()
    library = _strip(Attachment, "library/", dry_run=dry_run)
    if library:
        repaired["library"] = library
    return repaired
