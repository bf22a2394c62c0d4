"""Copying X's pages into P, a batch per transaction, as published Wagtail pages with a revision.

Why not ``add_child`` + ``save_revision().publish()`` per page: each costs a dozen queries, a full
clean, a search-index and a reference-index update, a log entry and signals — about 50 ms, so a
1,000-page site would take most of a minute on its pages alone. Here a batch of pages costs a
handful of queries: tree positions are computed (treebeard's materialised paths), the base rows go
in with one ``bulk_create``, each page type's own rows with one INSERT, revisions with one
``bulk_create``. Search and reference indexes are built once at the end (``execute``), which is what
Wagtail itself defers to a task. Every page keeps its dates (publish_date, first/last published,
latest revision), its source (来源) and its owner (the same person's user on P, when they have one).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.utils import timezone
from django_tenants.utils import tenant_context
from modelcluster.models import get_all_child_relations
from wagtail.documents import get_document_model
from wagtail.fields import RichTextField
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, PageViewRestriction, Revision

from tenants.closure import ledger
from tenants.closure.mapping import Mapping, Placement
from tenants.closure.models import Closure
from tenants.closure.richtext import LinkMap, rewrite
from tenants.content.models import ColumnKind, ColumnPage
from tenants.models import Site

COMMENTS = "wagtail_admin_comments"
# Page fields that describe where and whose a page is, not what it says: set anew on P.
PLACE_FIELDS = {
    "id", "page_ptr_id", "path", "depth", "numchild", "url_path", "translation_key", "locale_id",
    "latest_revision_id", "live_revision_id", "locked", "locked_at", "locked_by_id", "content_type_id",
    "owner_id", "alias_of_id", "slug", "draft_title", "has_unpublished_changes",
}  # fmt: skip


@dataclass
class Parent:
    id: int
    path: str
    depth: int
    url_path: str
    next: int  # treebeard position of the next child
    slugs: set[str]


@dataclass
class Source:
    """One X page as read in X's schema, with what hangs off it."""

    page: Page
    placement: Placement
    children: dict[str, tuple[str, list[models.Model]]]  # child relation name -> (its key to the page, X rows)
    restrictions: list[PageViewRestriction]
    owner: str  # the owner's username on X (read there: the same id is another person on P)


def rich_text_fields(model) -> list[models.Field]:
    return [field for field in model._meta.concrete_fields if isinstance(field, RichTextField)]


class PageCopier:
    def __init__(self, closure: Closure, mapping: Mapping, links: LinkMap, owners: dict[str, int]) -> None:
        self.closure = closure
        self.site: Site = closure.site
        self.target: Site = closure.target
        self.mapping = mapping
        self.links = links
        self.owners = owners  # username -> user id on P
        self.parents: dict[str, Parent] = {}  # copies made by this run, whose positions only we hand out
        self.batch_parents: dict[str, Parent] = {}  # P's own pages, read afresh for each batch
        self.home_id = mapping.placements[0].id  # the home page comes first (tree order): it becomes the section
        with tenant_context(self.target):
            self.locale_id = Locale.get_default().pk
            self.page_type = ContentType.objects.get_for_model(Page).pk

    # --- reading X --------------------------------------------------------------------------
    def read(self, placements: list[Placement]) -> list[Source]:
        ids = [placement.id for placement in placements]
        with tenant_context(self.site):
            pages = {page.pk: page for page in Page.objects.filter(pk__in=ids).specific()}
            owner_ids = {page.owner_id for page in pages.values() if page.owner_id}
            owners = dict(get_user_model().objects.filter(pk__in=owner_ids).values_list("id", "username"))
            children: dict[int, dict[str, list]] = defaultdict(dict)
            for model in {type(page) for page in pages.values()}:
                for relation in get_all_child_relations(model):
                    name = relation.get_accessor_name()
                    if name == COMMENTS:
                        continue
                    key = relation.field.attname
                    for row in relation.related_model.objects.filter(**{f"{key}__in": ids}):
                        children[getattr(row, key)].setdefault(name, (key, []))[1].append(row)
            restrictions: dict[int, list] = defaultdict(list)
            for restriction in PageViewRestriction.objects.filter(page_id__in=ids).prefetch_related("groups"):
                restriction.group_names = [group.name for group in restriction.groups.all()]
                restrictions[restriction.page_id].append(restriction)
        return [
            Source(
                pages[p.id], p, children.get(p.id, {}), restrictions.get(p.id, []), owners.get(pages[p.id].owner_id, "")
            )
            for p in placements
            if p.id in pages
        ]

    # --- positions on P ---------------------------------------------------------------------
    def _parent(self, key: str) -> Parent:
        if key in self.parents:
            return self.parents[key]
        if key in self.batch_parents:
            return self.batch_parents[key]
        kind, _colon, raw = key.partition(":")
        page_id = int(raw) if kind == "p" else self.links.pages[int(raw)]
        row = Page.objects.select_for_update().filter(pk=page_id).values("path", "depth", "url_path").get()
        existing = Page.objects.filter(path__startswith=row["path"], depth=row["depth"] + 1)
        last = existing.order_by("-path").values_list("path", flat=True).first()
        parent = Parent(
            id=page_id,
            path=row["path"],
            depth=row["depth"],
            url_path=row["url_path"],
            next=Page._str2int(last[-Page.steplen :]) + 1 if last else 1,
            slugs=set(existing.values_list("slug", flat=True)),
        )
        # A copy made by this closure: no one else adds children to it, so its positions are ours for
        # the run. One of P's own pages (the home page, a column): editors may add pages between batches.
        (self.parents if kind == "x" else self.batch_parents)[key] = parent
        return parent

    def _place(self, page: Page, placement: Placement) -> Parent:
        parent = self._parent(placement.parent)
        slug, n = placement.slug, 1
        while slug in parent.slugs:  # P gained a page with this slug since the plan
            n += 1
            slug = f"{placement.slug}-{n}"
        parent.slugs.add(slug)
        page.slug = slug
        page.depth = parent.depth + 1
        page.path = Page._get_path(parent.path, page.depth, parent.next)
        parent.next += 1
        page.url_path = f"{parent.url_path}{slug}/"
        page.numchild = 0
        self.parents[f"x:{placement.id}"] = Parent(0, page.path, page.depth, page.url_path, 1, set())
        return parent

    # --- building P's rows ------------------------------------------------------------------
    def _map_fk(self, field: models.ForeignKey, value):
        if value is None:
            return None
        related = field.related_model
        if related is get_image_model():
            return self.links.images.get(value)
        if related is get_document_model():
            return self.links.documents.get(value)
        if isinstance(related, type) and issubclass(related, Page):
            return self.links.pages.get(value)
        if related is get_user_model():
            return None
        return value  # a public-schema row (the library): the same on every site

    def _build(self, source: Source) -> Page:
        page = source.page
        if source.placement.id == self.home_id:  # X's home page becomes the section, a column of P
            now = timezone.now()
            new = ColumnPage(kind=ColumnKind.GENERAL, intro=getattr(page, "intro", ""), show_in_menus=True)
            new.title = self.mapping.section_title
            new.live, new.first_published_at, new.last_published_at = True, now, now
            new.latest_revision_created_at = now
        else:
            model = type(page)
            new = model()
            for field in model._meta.concrete_fields:
                if field.attname in PLACE_FIELDS or field.primary_key:
                    continue
                value = getattr(page, field.attname)
                if isinstance(field, models.ForeignKey) and field.model is not Page:
                    value = self._map_fk(field, value)
                setattr(new, field.attname, value)
        new.draft_title = new.title
        new.has_unpublished_changes = False
        new.locked = False
        new.translation_key = uuid.uuid4()
        new.locale_id = self.locale_id
        new.content_type_id = ContentType.objects.get_for_model(type(new)).pk
        new.owner_id = self.owners.get(source.owner)
        return new

    def _rewrite(self, source: Source, new: Page) -> bool:
        """Rewrite rich text from X's original; True when a link waits for a page not copied yet."""
        pending = False
        for field in rich_text_fields(type(new)):
            original = getattr(source.page, field.attname, None)
            if original is None:
                continue
            result = rewrite(original, self.links)
            setattr(new, field.attname, result.html)
            pending = pending or result.pending
        return pending

    def _copy_children(self, source: Source, new: Page) -> None:
        """Inline rows (e.g. a library list's picked resources), and an in-memory copy of every child
        relation on ``new``, so its revision's content is serialised without a query per relation."""
        for relation in get_all_child_relations(type(new)):
            name = relation.get_accessor_name()
            key, rows = source.children.get(name, ("", []))
            copies = []
            for row in rows:
                copy = type(row)()
                for field in type(row)._meta.concrete_fields:
                    if field.primary_key:
                        continue
                    value = getattr(row, field.attname)
                    if field.attname == key:
                        value = new.pk
                    elif isinstance(field, models.ForeignKey):
                        value = self._map_fk(field, value)
                    setattr(copy, field.attname, value)
                copies.append(copy)
            if copies:
                type(copies[0]).objects.bulk_create(copies)
            setattr(new, name, copies)

    def _copy_restrictions(self, source: Source, new: Page) -> None:
        for restriction in source.restrictions:
            copy = PageViewRestriction.objects.create(
                page_id=new.pk, restriction_type=restriction.restriction_type, password=restriction.password
            )
            groups = Group.objects.filter(name__in=restriction.group_names)
            if groups:
                copy.groups.set(groups)

    # --- one batch ----------------------------------------------------------------------------
    def copy(self, placements: list[Placement]) -> int:
        """Copy one batch (tree order: parents before children) in one transaction with its ledger rows."""
        sources = self.read(placements)
        self.batch_parents = {}
        with tenant_context(self.target), transaction.atomic():
            news, parents = [], []
            for source in sources:
                new = self._build(source)
                parents.append(self._place(new, source.placement))
                news.append(new)
            base_fields = [field for field in Page._meta.concrete_fields if not field.primary_key]
            bases = Page.objects.bulk_create(
                [Page(**{f.attname: getattr(n, f.attname) for f in base_fields}) for n in news]
            )
            for source, new, base in zip(sources, news, bases, strict=True):
                new.pk = new.id = base.pk
                if hasattr(new, "page_ptr_id"):
                    new.page_ptr_id = base.pk
                self.links.pages[source.placement.id] = base.pk
                self.parents[f"x:{source.placement.id}"].id = base.pk
            pending = {
                source.placement.id: self._rewrite(source, new) for source, new in zip(sources, news, strict=True)
            }
            by_model: dict[type, list[Page]] = defaultdict(list)
            for new in news:
                by_model[type(new)].append(new)
            for model, rows in by_model.items():
                if model is not Page:
                    # Django has no public bulk insert for a multi-table-inherited model; this is the
                    # INSERT that Model.save() itself issues, for the page type's own table only.
                    model._base_manager._insert(rows, fields=model._meta.local_concrete_fields, using=connection.alias)
            for source, new in zip(sources, news, strict=True):
                self._copy_children(source, new)
                self._copy_restrictions(source, new)
            revisions = Revision.objects.bulk_create(
                [
                    Revision(
                        content_type_id=new.content_type_id,
                        base_content_type_id=self.page_type,
                        object_id=str(new.pk),
                        created_at=new.latest_revision_created_at or new.last_published_at or timezone.now(),
                        user_id=new.owner_id,
                        content=new.serializable_data(),
                        object_str=str(new),
                    )
                    for new in news
                ]
            )
            for base, new, revision in zip(bases, news, revisions, strict=True):
                base.latest_revision_id = revision.pk
                base.live_revision_id = revision.pk if new.live else None
            Page.objects.bulk_update(bases, ["latest_revision", "live_revision"])
            update_numchild({parent.id for parent in parents})  # copies' ids are known only now
            ledger.write(
                self.closure,
                "page",
                [
                    (
                        source.placement.id,
                        new.pk,
                        {"owner": source.owner, "pending": pending[source.placement.id]},
                    )
                    for source, new in zip(sources, news, strict=True)
                ],
            )
        return len(sources)


def update_numchild(page_ids: set[int]) -> None:
    """treebeard's child counts of the pages that gained children, recounted from the tree."""
    if not page_ids:
        return
    table = connection.ops.quote_name(Page._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} AS p SET numchild = (SELECT COUNT(*) FROM {table} AS c "
            f"WHERE c.path LIKE p.path || '%%' AND c.depth = p.depth + 1) WHERE p.id = ANY(%s)",
            [sorted(page_ids)],
        )
