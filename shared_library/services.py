"""Everything that changes the library goes through here, so every change is versioned and the
contribution rules (township staff only submit for review) hold whichever screen is used.

``site`` arguments name the site the person is acting from; by default the current tenant
(``connection.tenant``), with the public schema meaning the platform (``None``).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shared_library.index_numbers import next_index_number
from shared_library.models import Disclosure, Resource, ResourceStatus, ResourceVersion, Syndication
from tenants.models import Site, SiteKind

CURRENT: Any = object()  # sentinel: "the site of the current connection"

# What an editor fills in (the admin form shows exactly these) ...
EDITABLE_FIELDS = [
    "kind",
    "title",
    "summary",
    "body",
    "index_number",
    "document_number",
    "issuing_body",
    "written_date",
    "publish_date",
    "topic",
    "genre",
    "tags",
    "validity",
    "disclosure",
    "interpretation_of",
]
# ... and what a version records: those plus the fields only the services change.
TRACKED_FIELDS = EDITABLE_FIELDS + ["source_site", "status", "withdrawn_reason"]


def acting_site(site: Site | None = CURRENT) -> Site | None:
    """The contributing site: the given one, else the current tenant; the platform is ``None``."""
    if site is CURRENT:
        site = getattr(connection, "tenant", None)
    if site is None or getattr(site, "schema_name", "public") == "public" or site.kind == SiteKind.PLATFORM:
        return None
    return site


def must_submit_for_review(site: Site | None) -> bool:
    """Township staff contribute, but a county or the platform decides what is published."""
    return site is not None and site.kind == SiteKind.TOWNSHIP


def _value(resource: Resource, name: str) -> Any:
    field = Resource._meta.get_field(name)
    if isinstance(field, models.ForeignKey):
        related = getattr(resource, name)
        return str(related) if related is not None else None
    value = getattr(resource, name)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list):
        return list(value)
    return value


def snapshot(resource: Resource) -> dict[str, Any]:
    """The tracked fields as JSON-ready values (foreign keys by name, dates as ISO strings)."""
    return {name: _value(resource, name) for name in TRACKED_FIELDS}


def _record(resource: Resource, *, by: str, action: str, changes: dict, site: Site | None) -> ResourceVersion:
    number = (resource.versions.aggregate(n=models.Max("number"))["n"] or 0) + 1
    return ResourceVersion.objects.create(
        resource=resource,
        number=number,
        by=by,
        action=action,
        site_name=site.name if site else _("平台"),
        changes=changes,
    )


def save_resource(resource: Resource, *, by: str, action: str = "edit", site: Site | None = CURRENT) -> Resource:
    """Validate and save ``resource`` and record field -> [old, new] for what changed."""
    site = acting_site(site)
    with transaction.atomic():
        before: dict[str, Any] = {}
        if resource.pk:
            before = snapshot(Resource.objects.select_for_update().get(pk=resource.pk))
        else:
            resource.created_by = by
            action = "create" if action == "edit" else action
        if not resource.index_number:
            resource.index_number = next_index_number(resource)
        resource.updated_by = by
        resource.full_clean()
        resource.save()
        after = snapshot(resource)
        changes = {name: [before.get(name), value] for name, value in after.items() if before.get(name) != value}
        if changes or action != "edit":
            _record(resource, by=by, action=action, changes=changes, site=site)
    return resource


def create_resource(*, by: str, site: Site | None = CURRENT, publish: bool = False, **fields: Any) -> Resource:
    """A new resource from ``site`` (recorded as its source). ``publish=True`` publishes it at once,
    except from a township site, where it goes to review instead."""
    site = acting_site(site)
    resource = Resource(source_site=site, **fields)
    if publish:
        resource.status = ResourceStatus.PENDING_REVIEW if must_submit_for_review(site) else ResourceStatus.PUBLISHED
    elif must_submit_for_review(site) and resource.status == ResourceStatus.PUBLISHED:
        resource.status = ResourceStatus.PENDING_REVIEW
    return save_resource(resource, by=by, site=site)


def owns(resource: Resource, site: Site | None) -> bool:
    """The platform owns everything; a site owns what it (or a township under it) contributed."""
    if site is None:
        return True
    source = resource.source_site
    return source is not None and (source.pk == site.pk or source.parent_id == site.pk)


def check_can_edit(resource: Resource, site: Site | None) -> None:
    """A township may change its own contribution only until it is published."""
    if not owns(resource, site):
        raise PermissionDenied(_("只能修改本站点报送的资源。"))
    if must_submit_for_review(site) and resource.status == ResourceStatus.PUBLISHED:
        raise PermissionDenied(_("已发布的资源须由上级站点修改。"))


def update_resource(resource: Resource, *, by: str, site: Site | None = CURRENT, **fields: Any) -> Resource:
    site = acting_site(site)
    check_can_edit(resource, site)
    for name, value in fields.items():
        setattr(resource, name, value)
    return save_resource(resource, by=by, site=site)


def submit_for_review(resource: Resource, *, by: str, site: Site | None = CURRENT) -> Resource:
    if resource.status not in (ResourceStatus.DRAFT, ResourceStatus.PENDING_REVIEW):
        raise ValidationError(_("只有草稿可以提交审核。"))
    resource.status = ResourceStatus.PENDING_REVIEW
    return save_resource(resource, by=by, action="submit", site=site)


def _check_can_publish(resource: Resource, site: Site | None) -> None:
    if must_submit_for_review(site):
        raise PermissionDenied(_("乡镇（街道）站点只能提交审核，不能直接发布。"))
    if not owns(resource, site):
        raise PermissionDenied(_("只能发布本站点或下级站点报送的资源。"))


def approve(resource: Resource, *, by: str, site: Site | None = CURRENT) -> Resource:
    """A reviewer (platform, or the contributing township's parent site) publishes a submission."""
    site = acting_site(site)
    if resource.status != ResourceStatus.PENDING_REVIEW:
        raise ValidationError(_("该资源不在待审核状态。"))
    _check_can_publish(resource, site)
    resource.status = ResourceStatus.PUBLISHED
    return save_resource(resource, by=by, action="approve", site=site)


def publish(resource: Resource, *, by: str, site: Site | None = CURRENT) -> Resource:
    site = acting_site(site)
    _check_can_publish(resource, site)
    resource.status = ResourceStatus.PUBLISHED
    resource.withdrawn_at = None
    resource.withdrawn_reason = ""
    return save_resource(resource, by=by, action="publish", site=site)


def withdraw(resource: Resource, reason: str, *, by: str, site: Site | None = CURRENT) -> Resource:
    """Withdraw everywhere at once: every site's page of it answers 410 with the notice."""
    site = acting_site(site)
    if not reason.strip():
        raise ValidationError({"withdrawn_reason": _("请填写撤回原因。")})
    if must_submit_for_review(site) or not owns(resource, site):
        raise PermissionDenied(_("只能撤回本站点发布的资源。"))
    resource.status = ResourceStatus.WITHDRAWN
    resource.withdrawn_at = timezone.now()
    resource.withdrawn_reason = reason.strip()
    return save_resource(resource, by=by, action="withdraw", site=site)


def syndicate(
    resource: Resource, sites: Iterable[Site], column_slug: str, *, by: str, site: Site | None = CURRENT
) -> int:
    """Show ``resource`` in column ``column_slug`` of every site in ``sites`` (转载), in one INSERT.

    No page is copied into any site: sites render the one library row live, which is why 500 sites
    take milliseconds and an edit or withdrawal is seen everywhere at once. Returns the number of
    sites the resource was newly syndicated to."""
    acting = acting_site(site)
    if resource.status != ResourceStatus.PUBLISHED:
        raise ValidationError(_("只有已发布的资源才能转载。"))
    if resource.disclosure == Disclosure.NOT_PUBLIC:
        raise ValidationError(_("不予公开的资源不能转载到站点。"))
    column_slug = column_slug.strip()
    if not column_slug:
        raise ValidationError({"column_slug": _("请指定栏目。")})
    site_ids = sorted({s.pk for s in sites})
    with transaction.atomic():
        existing = set(
            Syndication.objects.filter(resource=resource, column_slug=column_slug, site_id__in=site_ids).values_list(
                "site_id", flat=True
            )
        )
        now = timezone.now()
        rows = [
            Syndication(resource=resource, site_id=pk, column_slug=column_slug, created_at=now, created_by=by)
            for pk in site_ids
            if pk not in existing
        ]
        Syndication.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
        if rows:
            _record(
                resource,
                by=by,
                action="syndicate",
                changes={"syndication": [None, {"column": column_slug, "site_ids": [row.site_id for row in rows]}]},
                site=acting,
            )
    return len(rows)


def unsyndicate(resource: Resource, sites: Iterable[Site], *, by: str, site: Site | None = CURRENT) -> int:
    site_ids = [s.pk for s in sites]
    with transaction.atomic():
        deleted, _detail = Syndication.objects.filter(resource=resource, site_id__in=site_ids).delete()
        if deleted:
            _record(
                resource,
                by=by,
                action="unsyndicate",
                changes={"syndication": [{"site_ids": site_ids}, None]},
                site=acting_site(site),
            )
    return deleted


def reattribute(resource: Resource, site: Site | None, *, origin_site_name: str, by: str, action: str) -> Resource:
    """Change who a resource is from (a closed site's contributions move to the site that absorbed it,
    and back on a rollback) and version it. No validation: provenance is not the editor's to change,
    and an old item that a later rule would refuse must not block a closure."""
    with transaction.atomic():
        before = {"source_site": _value(resource, "source_site"), "origin_site_name": resource.origin_site_name}
        resource.source_site = site
        resource.origin_site_name = origin_site_name
        resource.save(update_fields=["source_site", "origin_site_name", "updated_at"])
        after = {"source_site": _value(resource, "source_site"), "origin_site_name": resource.origin_site_name}
        _record(
            resource,
            by=by,
            action=action,
            changes={name: [before[name], value] for name, value in after.items() if before[name] != value},
            site=None,
        )
    return resource


def add_attachment(resource: Resource, uploaded, *, by: str, title: str = "", site: Site | None = CURRENT):
    """Store a file once under ``library/`` (whichever site uploads it) and version the change."""
    from shared_library.models import Attachment

    with transaction.atomic():
        attachment = Attachment(
            resource=resource,
            title=title or uploaded.name,
            size=uploaded.size or 0,
            content_type=getattr(uploaded, "content_type", "") or "",
        )
        attachment.file.save(uploaded.name, uploaded, save=False)
        attachment.save()
        _record(
            resource,
            by=by,
            action="attach",
            changes={"attachments": [None, attachment.file.name]},
            site=acting_site(site),
        )
    return attachment
