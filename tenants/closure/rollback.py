"""Undo a closure (until X is archived): X serves exactly as before, P loses the copies.

Everything undone is found in the ledger, and each step deletes its ledger rows in the same
transaction as the undo, so a rollback interrupted half-way is finished by running it again.
Order matters: library and roles first (they refer to the section by slug), then pages, then the
files and their collection, the authors' user rows, the notices, and finally the URL map and the
site's status.
"""

from __future__ import annotations

import posixpath

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Page

from audit.log import record
from identity import services as identity
from identity.models import Account, Role
from shared_library.models import Resource, Syndication
from shared_library.services import reattribute
from tenants.closure.files import delete_file, delete_folder
from tenants.closure.locking import exclusive
from tenants.closure.models import Closure, ClosureItem, ClosureStatus, ClosureUrl
from tenants.content.models import ColumnPage
from tenants.events import site_changed_on_commit
from tenants.models import Site, SiteStatus

# Where Wagtail puts originals; a closure's copies go one level down, in a folder named after X.
COPY_FOLDERS = {"image": "original_images", "document": "documents"}
UNDO = "closure_rollback"  # the library's version entry for the restored provenance


def _items(closure: Closure, kind: str) -> list[ClosureItem]:
    return list(ClosureItem.objects.filter(closure=closure, kind=kind).order_by("pk"))


def _undo_syndications(closure: Closure) -> int:
    items = _items(closure, "syndication")
    with transaction.atomic():
        created = [int(item.target_id) for item in items if item.data.get("created") and item.target_id]
        Syndication.objects.filter(pk__in=created, site=closure.target).delete()
        ClosureItem.objects.filter(pk__in=[item.pk for item in items]).delete()
    return len(created)


def _undo_resources(closure: Closure, by: str) -> int:
    items = _items(closure, "resource")
    with transaction.atomic():
        resources = Resource.objects.select_for_update().in_bulk([int(item.source_id) for item in items])
        sites = Site.objects.in_bulk(
            [item.data.get("source_site_id") for item in items if item.data.get("source_site_id")]
        )
        for item in items:
            resource = resources.get(int(item.source_id))
            if resource is None:
                continue
            site = sites.get(item.data.get("source_site_id"))
            if resource.source_site_id != getattr(site, "pk", None) or resource.origin_site_name != item.data.get(
                "origin_site_name", ""
            ):
                reattribute(resource, site, origin_site_name=item.data.get("origin_site_name", ""), by=by, action=UNDO)
        ClosureItem.objects.filter(pk__in=[item.pk for item in items]).delete()
    return len(items)


def _undo_roles(closure: Closure, by: str) -> int:
    undone = 0
    for item in _items(closure, "role"):
        with transaction.atomic():
            account = Account.objects.filter(pk=int(item.source_id)).first()
            previous = item.data.get("previous")
            if account is not None and item.data.get("changed"):
                if previous is None:
                    identity.revoke_role(account, closure.target, by=by)
                    if not item.data.get("had_user", True):  # the user row on P was made for this role
                        with tenant_context(closure.target):
                            get_user_model().objects.filter(username=account.username, is_active=False).delete()
                elif previous["role"] == Role.SUBMITTER:
                    identity.grant_role(account, closure.target, Role.SUBMITTER, columns=previous["columns"], by=by)
                undone += 1
            item.delete()
    return undone


def _delete_pages(closure: Closure) -> int:
    """Delete the copies on P: the section (with everything under it) and pages put into P's columns."""
    items = _items(closure, "page")
    ids = {int(item.target_id) for item in items if item.target_id}
    with tenant_context(closure.target), transaction.atomic():
        pages = list(Page.objects.filter(pk__in=ids).order_by("path"))
        roots, covered = [], []
        for page in pages:  # tree order: a page under an already chosen root goes with it
            if not any(page.path.startswith(root) for root in covered):
                roots.append(page)
                covered.append(page.path)
        for page in roots:
            # Taken offline in one statement first: otherwise Wagtail unpublishes (and the audit log records)
            # every page of the section one by one; the rollback itself is the audited event.
            Page.objects.descendant_of(page, inclusive=True).update(live=False)
            page.refresh_from_db(fields=["live"])
            page.delete()
        # The section's submitter group (identity makes one per column) goes with the section.
        section_group = f"{identity.SUBMITTER_GROUP_PREFIX}{closure.section_title}"[:150]
        Group.objects.filter(name=section_group, user=None, page_permissions=None).delete()
        ClosureItem.objects.filter(pk__in=[item.pk for item in items]).delete()
    return len(ids)


def _delete_media(closure: Closure) -> int:
    """Delete the copied files first (a run killed after this finds rows without files, and finishes),
    then their rows, renditions and the collection."""
    deleted = 0
    for kind, model in (("image", get_image_model()), ("document", get_document_model())):
        items = _items(closure, kind)
        ids = [int(item.target_id) for item in items if item.target_id]
        storage = model._meta.get_field("file").storage
        with tenant_context(closure.target):
            names = list(model.objects.filter(pk__in=ids).values_list("file", flat=True))
            if kind == "image":
                names += list(
                    model.get_rendition_model().objects.filter(image_id__in=ids).values_list("file", flat=True)
                )
        for name in names:
            delete_file(storage, name, closure.target.schema_name)
        # Files of a batch that never committed are in no ledger row, but only copies live in these folders.
        folders = {posixpath.dirname(item.data.get("file", "")) for item in items} | {
            posixpath.join(COPY_FOLDERS[kind], closure.site.slug)
        }
        for folder in sorted(folder for folder in folders if folder):
            delete_folder(storage, folder, closure.target.schema_name)
        with tenant_context(closure.target), transaction.atomic():
            model.objects.filter(pk__in=ids).delete()
            ClosureItem.objects.filter(pk__in=[item.pk for item in items]).delete()
        deleted += len(ids)
    items = _items(closure, "collection")
    with tenant_context(closure.target), transaction.atomic():
        for item in items:
            collection = Collection.objects.filter(pk=int(item.target_id)).first()
            if collection is not None and not collection.get_descendants().exists():
                collection.delete()
        ClosureItem.objects.filter(pk__in=[item.pk for item in items]).delete()
    return deleted


def _delete_authors(closure: Closure) -> None:
    """The inactive user rows made on P only to keep authorship (unless they have since been given a role)."""
    items = _items(closure, "user")
    with tenant_context(closure.target), transaction.atomic():
        get_user_model().objects.filter(pk__in=[int(i.target_id) for i in items], is_active=False, groups=None).delete()
        ClosureItem.objects.filter(pk__in=[item.pk for item in items]).delete()


def _delete_notices(closure: Closure) -> None:
    for item in _items(closure, "notice"):
        site = closure.site if item.source_id == "x" else closure.target
        with tenant_context(site), transaction.atomic():
            page = Page.objects.filter(pk=int(item.target_id)).first()
            if page is not None:
                page.delete()
            column_id = item.data.get("column_created")
            column = ColumnPage.objects.filter(pk=column_id).first() if column_id else None
            if column is not None and not column.get_children().exists():
                column.delete()
            item.delete()


def rollback(closure: Closure, *, by, reason: str) -> Closure:
    """Undo ``closure``: P's copies, re-attributions, syndications, roles and notices are removed, the URL
    map is deleted and X is active again, serving what it served before."""
    with exclusive(closure):
        return _rollback(closure, by=by, reason=reason)


def _rollback(closure: Closure, *, by, reason: str) -> Closure:
    closure = Closure.objects.select_related("site", "target").get(pk=closure.pk)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("请填写回滚原因。"))
    if closure.status == ClosureStatus.ARCHIVED:
        raise ValidationError(_("站点已归档，不能回滚；如需恢复，请从归档恢复站点。"))
    if closure.status == ClosureStatus.ROLLED_BACK:
        raise ValidationError(_("该关停任务已回滚。"))
    actor = by if isinstance(by, str) else getattr(by, "username", "") or ""
    status = closure.status
    counts = {
        "syndications": _undo_syndications(closure),
        "resources": _undo_resources(closure, actor),
        "roles": _undo_roles(closure, actor),
        "pages": _delete_pages(closure),
        "files": _delete_media(closure),
    }
    _delete_authors(closure)
    _delete_notices(closure)
    with transaction.atomic():
        ClosureUrl.objects.filter(closure=closure).delete()
        closure.status = ClosureStatus.ROLLED_BACK
        closure.rolled_back_at = timezone.now()
        closure.rollback_reason = reason[:500]
        closure.step = ""
        closure.save()
        Site.objects.filter(pk=closure.site_id).update(status=SiteStatus.ACTIVE, closed_at=None)
        site_changed_on_commit(closure.site_id, "reopened")
        site_changed_on_commit(closure.target_id, "updated")
    closure.site.refresh_from_db()
    record("closure_rollback", actor=actor, site=closure.site, obj=closure, reason=reason, was=status, **counts)
    return closure
