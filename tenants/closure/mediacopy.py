"""Copying X's images and documents into one collection on P named after X, each exactly once.

Files are copied first (``files.copy_file``: deterministic names, so an interrupted batch leaves at
most an orphan that the resumed run overwrites), then the batch's rows and ledger rows are written
in one transaction. Renditions are not copied: P makes its own on demand, and X's rendition URLs
redirect to the copied original.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django_tenants.utils import tenant_context
from taggit.models import TaggedItem
from wagtail.models import Collection

from tenants.closure import ledger
from tenants.closure.files import copy_file, copy_name
from tenants.closure.models import Closure

SKIP = {"id", "collection_id", "uploaded_by_user_id", "file"}


def ensure_collection(closure: Closure) -> int:
    """The collection on P that receives X's files (one ledger row, made once)."""
    made = ledger.done(closure, "collection").get("root")
    if made is not None:
        return int(made.target_id)
    with tenant_context(closure.target), transaction.atomic():
        collection = Collection.get_first_root_node().add_child(name=closure.site.name)
        ledger.write(closure, "collection", [("root", collection.pk, {})])
    return collection.pk


class MediaCopier:
    """Copies rows of one model (the image or the document model) from X to P."""

    def __init__(self, closure: Closure, model, collection_id: int, owners: dict[str, int], kind: str) -> None:
        self.closure = closure
        self.model = model
        self.kind = kind
        self.collection_id = collection_id
        self.owners = owners
        self.field = model._meta.get_field("file")
        self.warnings: list[str] = []

    def _tags(self, ids: list[int]) -> dict[int, list[str]]:
        content_type = ContentType.objects.get_for_model(self.model)
        tags: dict[int, list[str]] = {}
        rows = TaggedItem.objects.filter(content_type=content_type, object_id__in=ids).values_list(
            "object_id", "tag__name"
        )
        for object_id, name in rows:
            tags.setdefault(object_id, []).append(name)
        return tags

    def copy(self, ids: list[int]) -> dict[int, int]:
        """Copy one batch; returns X id -> P id."""
        site, target = self.closure.site, self.closure.target
        with tenant_context(site):
            sources = list(self.model.objects.filter(pk__in=ids).select_related("uploaded_by_user").order_by("pk"))
            tags = self._tags(ids)
        copies, data = [], []
        for source in sources:
            name = copy_name(source.file.name, site.slug, self.field.max_length)
            missing = False
            try:
                name = copy_file(self.field.storage, source.file.name, site.schema_name, target.schema_name, name,
                                 self.field.max_length)  # fmt: skip
            except FileNotFoundError:
                missing = True  # X lost the file: the row still moves, and the operator is told
                self.warnings.append(f"{self.kind} {source.pk}: {source.file.name}")
            uploader = source.uploaded_by_user.username if source.uploaded_by_user_id else ""
            values = {
                f.attname: getattr(source, f.attname) for f in self.model._meta.concrete_fields if f.attname not in SKIP
            }
            # All at once: assigning the file after construction would make an image field re-read the
            # file for its dimensions (which are copied anyway).
            new = self.model(
                **values, file=name, collection_id=self.collection_id, uploaded_by_user_id=self.owners.get(uploader)
            )
            copies.append(new)
            data.append({"file": name, "uploader": uploader, **({"missing_file": True} if missing else {})})
        with tenant_context(target), transaction.atomic():
            self.model.objects.bulk_create(copies)
            for source, new in zip(sources, copies, strict=True):
                if tags.get(source.pk):
                    new.tags.add(*tags[source.pk])
            ledger.write(
                self.closure,
                self.kind,
                [(source.pk, new.pk, item) for source, new, item in zip(sources, copies, data, strict=True)],
            )
        return {source.pk: new.pk for source, new in zip(sources, copies, strict=True)}
