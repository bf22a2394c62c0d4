"""Execute a closure: move everything of X into P, then let routing answer X's URLs.

Steps, each resumable from the ledger (a kill -9 or a lost connection at any point, and running
``execute`` again carries on where it stopped, copying nothing twice):

1. authors     the authors of X's pages and files get a user on P (to stay their authors)
2. collection  one collection on P named after X
3. images, documents  copied once each, files included
4. pages       the section and X's pages, in tree order, published with their dates and authors
5. links       rich text that linked to pages copied later is rewritten again
6. people      X's editors and submitters become submitters of the section on P
7. library     X's contributions re-attributed to P ("originally from X")
8. syndications  what was syndicated into X is syndicated into P's matching column
9. index       search and reference indexes of the copies, once (not per page)
10. urls       the URL map rewritten from what was really created

X's own schema is only read. At the end the closure is REDIRECTING and X is CLOSED.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tenants.utils import tenant_context
from modelsearch.backends import get_search_backends
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, ReferenceIndex, Revision

from audit.log import record
from tenants.closure import ledger, sitefacts
from tenants.closure.addresses import root_url
from tenants.closure.inventory import Inventory, take_inventory
from tenants.closure.ledger import Progress, ProgressCallback
from tenants.closure.library import follow_syndications, reattribute_resources
from tenants.closure.locking import exclusive
from tenants.closure.mapping import Mapping
from tenants.closure.mediacopy import MediaCopier, ensure_collection
from tenants.closure.models import Closure, ClosureItem, ClosureStatus
from tenants.closure.pagecopy import PageCopier, rich_text_fields
from tenants.closure.people import author_usernames, authors_on_target, convert_roles
from tenants.closure.plan import notices_for_map, refresh, save_rows
from tenants.closure.richtext import LinkMap, rewrite
from tenants.closure.urlmap import NewPaths, build_rows
from tenants.events import site_changed_on_commit
from tenants.models import Site, SiteStatus

STEPS = {
    "authors": gettext_lazy("保留作者"),
    "people": gettext_lazy("转换人员角色"),
    "collection": gettext_lazy("建立文件集"),
    "images": gettext_lazy("复制图片"),
    "documents": gettext_lazy("复制文档"),
    "pages": gettext_lazy("复制页面"),
    "links": gettext_lazy("改写站内链接"),
    "library": gettext_lazy("转移资源库归属"),
    "syndications": gettext_lazy("转移转载"),
    "index": gettext_lazy("建立索引"),
    "urls": gettext_lazy("生成跳转地址"),
    "done": gettext_lazy("完成"),
}
COUNTED = ("role", "collection", "image", "document", "page", "resource", "syndication")


def batch_size() -> int:
    return max(1, int(getattr(settings, "ZQ_CLOSURE_BATCH_SIZE", 100)))


def _pause() -> None:
    seconds = float(getattr(settings, "ZQ_CLOSURE_THROTTLE_SECONDS", 0) or 0)
    if seconds > 0:
        time.sleep(seconds)


def chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def check_can_execute(closure: Closure) -> None:
    if closure.status == ClosureStatus.PLANNED:
        raise ValidationError(_("请先发布关停公告，公告期满后才能执行迁移。"))
    if closure.status not in (ClosureStatus.NOTICE, ClosureStatus.EXECUTING):
        raise ValidationError(_("关停任务处于“%s”阶段，不能执行迁移。") % closure.get_status_display())
    today = timezone.localdate()
    if closure.status == ClosureStatus.NOTICE and closure.planned_date and closure.planned_date > today:
        raise ValidationError(
            _("公告期未满：计划关停日期为%(date)s。如确需提前，请填写原因缩短公告期。")
            % {"date": closure.planned_date.strftime("%Y-%m-%d")}
        )
    if closure.target.status != SiteStatus.ACTIVE:
        raise ValidationError(_("迁入站点“%s”已关停或正在关停，不能接收迁移。") % closure.target.name)


class Run:
    """One execution (first or resumed) of a closure."""

    def __init__(self, closure: Closure, mapping: Mapping, *, by: str, progress: Progress) -> None:
        self.closure = closure
        self.mapping = mapping
        self.by = by
        self.progress = progress
        self.size = batch_size()
        self.warnings: list[str] = []
        self.seconds: dict[str, float] = {}
        excluded, self.notices = notices_for_map(closure)
        self.inventory: Inventory = take_inventory(closure.site, excluded=excluded)
        self.target_root = closure.plan.get("target_root") or root_url(closure.target)
        self.to_copy = [placement for placement in mapping.placements if placement.copy]

    def total(self) -> tuple[int, int]:
        inventory = self.inventory
        total = 1 + len(inventory.roles) + len(inventory.images) + len(inventory.documents) + len(self.to_copy)
        total += len(inventory.contributed) + len(inventory.syndications)
        done = ClosureItem.objects.filter(closure=self.closure, kind__in=COUNTED).count()
        return total, done

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        """Report the step (progress) and time it (``closure.plan["execute"]["seconds"]``, for the bench)."""
        self.progress.begin(name)
        started = time.monotonic()
        yield
        self.seconds[name] = round(self.seconds.get(name, 0) + time.monotonic() - started, 3)

    def run(self) -> None:
        self.progress.start(*self.total())
        with self.step("authors"):
            owners = authors_on_target(self.closure, author_usernames(self.closure))

        with self.step("collection"):
            had = ledger.done(self.closure, "collection")
            collection_id = ensure_collection(self.closure)
            if not had:
                self.progress.advance()

        for step, kind, model, rows in (
            ("images", "image", get_image_model(), self.inventory.images),
            ("documents", "document", get_document_model(), self.inventory.documents),
        ):
            with self.step(step):
                copier = MediaCopier(self.closure, model, collection_id, owners, kind)
                done = ledger.targets(self.closure, kind)
                for chunk in chunks([row.id for row in rows if row.id not in done], self.size):
                    self.progress.advance(len(copier.copy(chunk)))
                    _pause()
                self.warnings += copier.warnings

        with self.step("pages"):
            links = self.link_map()
            copier = PageCopier(self.closure, self.mapping, links, owners)
            for chunk in chunks([p for p in self.to_copy if p.id not in links.pages], self.size):
                self.progress.advance(copier.copy(chunk))
                _pause()

        with self.step("links"):
            self.relink(links)

        with self.step("people"):  # after the pages: a role names the section, which must exist by then
            self.progress.advance(convert_roles(self.closure, self.inventory.roles, by=self.by))

        with self.step("library"):
            done = ledger.done(self.closure, "resource")
            for chunk in chunks([pk for pk in self.inventory.contributed if str(pk) not in done], self.size):
                self.progress.advance(reattribute_resources(self.closure, chunk, by=self.by))

        with self.step("syndications"):
            done = ledger.done(self.closure, "syndication")
            todo = [row for row in self.inventory.syndications if str(row[0]) not in done]
            for chunk in chunks(todo, self.size):
                self.progress.advance(follow_syndications(self.closure, chunk, self.mapping, by=self.by))

        with self.step("index"):
            self.build_indexes()

        with self.step("urls"):
            rows = build_rows(self.inventory, self.mapping, self.target_root, self.new_paths(), self.notices)
            save_rows(self.closure, rows)

    # --- maps of what exists on P --------------------------------------------------------------
    def new_paths(self, *, pages_from_plan: bool = False) -> NewPaths:
        """Public paths on P of the copies (pages from the plan while they are still being copied)."""
        closure = self.closure
        paths = {placement.id: placement.path for placement in self.mapping.placements}
        document_ids = ledger.targets(closure, "document")
        image_ids = ledger.targets(closure, "image")
        page_ids = {} if pages_from_plan else ledger.targets(closure, "page")
        with tenant_context(closure.target):
            home = sitefacts.home_page()
            actual = dict(Page.objects.filter(pk__in=page_ids.values()).values_list("id", "url_path"))
            paths.update(
                {x: sitefacts.public_path(actual[p], home.url_path) for x, p in page_ids.items() if p in actual}
            )
            documents = dict(
                get_document_model().objects.filter(pk__in=document_ids.values()).values_list("id", "file")
            )
            images = dict(get_image_model().objects.filter(pk__in=image_ids.values()).values_list("id", "file"))
            storage = get_image_model()._meta.get_field("file").storage
            return NewPaths(
                pages=paths,
                documents={
                    x: sitefacts.document_path(p, documents[p].rsplit("/", 1)[-1])
                    for x, p in document_ids.items()
                    if p in documents
                },
                images={
                    x: sitefacts.local_path(storage.url(images[p])) or "" for x, p in image_ids.items() if p in images
                },
            )

    def link_map(self) -> LinkMap:
        rows = build_rows(
            self.inventory, self.mapping, self.target_root, self.new_paths(pages_from_plan=True), self.notices
        )
        return LinkMap(
            pages=ledger.targets(self.closure, "page"),
            documents=ledger.targets(self.closure, "document"),
            images=ledger.targets(self.closure, "image"),
            page_paths={placement.id: placement.path for placement in self.mapping.placements},
            to_copy={placement.id for placement in self.to_copy},
            urls={row.path: row.new_url for row in rows if row.new_url},
            hosts=set(self.inventory.hosts),
            source_root=self.inventory.root_url,
            target_root=self.target_root,
        )

    # --- second pass over links ----------------------------------------------------------------
    def relink(self, links: LinkMap) -> None:
        """Pages copied while a page they link to was not yet: rewrite them from X's text again."""
        pending = [
            item for item in ClosureItem.objects.filter(closure=self.closure, kind="page") if item.data.get("pending")
        ]
        for chunk in chunks(pending, self.size):
            ids = {int(item.source_id): int(item.target_id) for item in chunk}
            with tenant_context(self.closure.site):
                sources = {page.pk: page for page in Page.objects.filter(pk__in=ids).specific()}
            with tenant_context(self.closure.target), transaction.atomic():
                copies = {page.pk: page for page in Page.objects.filter(pk__in=ids.values()).specific()}
                revisions = {
                    r.object_id: r
                    for r in Revision.objects.filter(pk__in=[p.latest_revision_id for p in copies.values()])
                }
                changed_revisions = []
                for x_id, p_id in ids.items():
                    source, copy = sources.get(x_id), copies.get(p_id)
                    if source is None or copy is None:
                        continue
                    fields = rich_text_fields(type(copy))
                    revision = revisions.get(str(p_id))
                    for field in fields:
                        html = rewrite(getattr(source, field.attname, "") or "", links).html
                        setattr(copy, field.attname, html)
                        if revision is not None:
                            revision.content[field.attname] = html
                    type(copy).objects.filter(pk=p_id).update(**{f.attname: getattr(copy, f.attname) for f in fields})
                    if revision is not None:
                        changed_revisions.append(revision)
                Revision.objects.bulk_update(changed_revisions, ["content"])
                for item in chunk:
                    item.data = {**item.data, "pending": False}
                ClosureItem.objects.bulk_update(chunk, ["data"])

    # --- indexes ---------------------------------------------------------------------------------
    def build_indexes(self) -> None:
        """Search and reference indexes of everything copied, in bulk: what Wagtail would have queued per
        save, done once per batch of objects (with the related rows the index reads fetched in one go)."""
        backends = list(get_search_backends(with_auto_update=True))
        with tenant_context(self.closure.target):
            page_ids = list(ledger.targets(self.closure, "page").values())
            by_type: dict[int, list[int]] = {}
            for page_id, type_id in Page.objects.filter(pk__in=page_ids).values_list("id", "content_type_id"):
                by_type.setdefault(type_id, []).append(page_id)
            models = [(ContentType.objects.get_for_id(type_id).model_class(), ids) for type_id, ids in by_type.items()]
            models += [
                (get_image_model(), list(ledger.targets(self.closure, "image").values())),
                (get_document_model(), list(ledger.targets(self.closure, "document").values())),
            ]
            for model, ids in models:
                for chunk in chunks(ids, 500):
                    objects = list(model.get_indexed_objects().filter(pk__in=chunk))
                    for backend in backends:
                        backend.add_bulk(model, objects)
                    if issubclass(model, Page) and ReferenceIndex.is_indexed(model):
                        with transaction.atomic():
                            for page in objects:
                                ReferenceIndex.create_or_update_for_object(page)


def _note_error(closure: Closure, exc: BaseException) -> None:
    """Keep the last error on the closure for the console; a lost connection may refuse even that."""
    try:
        Closure.objects.filter(pk=closure.pk).update(last_error=f"{type(exc).__name__}: {exc}"[:2000])
    except DatabaseError:
        pass


def execute(closure: Closure, *, by, progress: ProgressCallback | None = None) -> Closure:
    """Run (or resume) the closure's migration. ``progress(done, total, step)`` is called as it goes."""
    with exclusive(closure):
        return _execute(closure, by=by, progress=progress)


def _execute(closure: Closure, *, by, progress: ProgressCallback | None) -> Closure:
    closure = Closure.objects.select_related("site", "target").get(pk=closure.pk)
    check_can_execute(closure)
    actor = by if isinstance(by, str) else getattr(by, "username", "") or ""
    resumed = closure.items.exclude(kind="notice").exists()
    # Plan once more before the first copy (P or X may have changed during the notice period); a resumed
    # run keeps the plan it started with, since half of it is already on P.
    mapping = Mapping.from_json(closure.plan) if resumed else refresh(closure)
    blocking = [conflict["message"] for conflict in mapping.conflicts if conflict["blocking"]]
    if blocking:
        raise ValidationError(blocking)
    Closure.objects.filter(pk=closure.pk).update(status=ClosureStatus.EXECUTING, last_error="")
    closure.status = ClosureStatus.EXECUTING
    started = time.monotonic()
    run = Run(closure, mapping, by=actor, progress=Progress(closure, progress))
    try:
        run.run()
    except BaseException as exc:
        _note_error(closure, exc)
        raise
    run.progress.done = run.progress.total
    run.progress.begin("done")
    with transaction.atomic():
        closure.refresh_from_db()
        closure.plan = {
            **closure.plan,
            "execute": {"seconds": run.seconds, "total_seconds": round(time.monotonic() - started, 3),
                        "warnings": run.warnings, "resumed": resumed},
        }  # fmt: skip
        closure.status = ClosureStatus.REDIRECTING
        closure.executed_at = timezone.now()
        closure.step = "done"
        closure.progress_done = closure.progress_total
        closure.save()
        Site.objects.filter(pk=closure.site_id).update(status=SiteStatus.CLOSED, closed_at=closure.executed_at)
        site_changed_on_commit(closure.site_id, "closed")
        site_changed_on_commit(closure.target_id, "updated")
    closure.site.refresh_from_db()
    counts = {kind: closure.items.filter(kind=kind).count() for kind in COUNTED}
    record(
        "closure_execute",
        actor=actor,
        site=closure.site,
        obj=closure,
        resumed=resumed,
        counts=counts,
        seconds=closure.plan["execute"]["total_seconds"],
        warnings=len(run.warnings),
    )
    return closure
