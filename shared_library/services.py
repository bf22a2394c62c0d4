"""Everything that changes the library goes through here, so every change is versioned, audited
and the contribution rules hold whichever screen, command or script is used.

``by`` is who acts: an :class:`~shared_library.rights.Actor` (screens build one from the request, so
the audit log gets the client's address) or a plain username for trusted code, acting from ``site``
(by default the current tenant, the public schema meaning the platform). Who may do what is
``shared_library.rights``; this module only applies it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.log import record
from shared_library import rights
from shared_library.columns import check_column
from shared_library.events import resource_changed
from shared_library.index_numbers import next_index_number
from shared_library.models import Disclosure, Resource, ResourceStatus, ResourceVersion, Syndication
from shared_library.rights import CURRENT, Actor, acting_site, as_actor, check_can_contribute, check_can_syndicate
from tenants.models import Site, SiteKind
from zhanqun.lib.uploads import validate_upload

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
    "guide",
]
# ... and what a version records: those plus the fields only the services change.
TRACKED_FIELDS = EDITABLE_FIELDS + ["source_site", "status", "withdrawn_reason"]

# A version's action -> the cluster audit log's action code (audit.models.Action).
AUDIT_ACTIONS = {
    "create": "library_create",
    "edit": "library_edit",
    "submit": "library_submit",
    "approve": "library_approve",
    "reject": "library_reject",
    "publish": "library_publish",
    "withdraw": "library_withdraw",
    "attach": "library_attach",
    "detach": "library_detach",
    "syndicate": "syndicate",
    "unsyndicate": "unsyndicate",
    "delete": "library_delete",
}


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


def _sites_detail(sites: Iterable[Site]) -> list[dict[str, Any]]:
    return [{"id": site.pk, "slug": site.slug, "name": site.name} for site in sites]


def _record(
    resource: Resource,
    *,
    by: Actor | str,
    action: str,
    changes: dict,
    site: Site | None,
    audit: dict[str, Any] | None = None,
) -> ResourceVersion:
    """The one place a library change is written down: a version row and, with it, the cluster
    audit event (who, from which site and address, which version, which fields; ``audit`` adds
    action-specific details such as target sites)."""
    actor = as_actor(by, site)
    number = (resource.versions.aggregate(n=models.Max("number"))["n"] or 0) + 1
    version = ResourceVersion.objects.create(
        resource=resource,
        number=number,
        by=actor.username,
        action=action,
        site_name=actor.site.name if actor.site else _("平台"),
        changes=changes,
    )
    details: dict[str, Any] = {"version": number, "fields": sorted(changes)}
    if action == "attach" and changes.get("attachments"):
        details["file"] = changes["attachments"][-1]
    record(
        AUDIT_ACTIONS.get(action, "library_edit"),
        actor=actor.username,
        site=actor.site,
        obj=resource,
        request=actor.request,
        **{**details, **(audit or {})},
    )
    _announce(resource, action, changes)
    return version


def _announce(resource: Resource, action: str, changes: dict) -> None:
    """Tell the sites showing ``resource`` after commit (``events.resource_changed``): its source site,
    every syndication target, and targets this very change removed (no longer in the table)."""
    site_ids = set(Syndication.objects.filter(resource=resource).values_list("site_id", flat=True))
    before = (changes.get("syndication") or [None, None])[0]
    if isinstance(before, dict):
        site_ids.update(before.get("site_ids") or [])
    if resource.source_site_id:
        site_ids.add(resource.source_site_id)
    resource_id, ids = resource.pk, sorted(site_ids)
    transaction.on_commit(
        lambda: resource_changed.send(
            sender="shared_library.Resource", resource_id=resource_id, action=action, site_ids=ids
        )
    )


def save_resource(
    resource: Resource,
    *,
    by: Actor | str,
    action: str = "edit",
    site: Site | None = CURRENT,
    audit: dict[str, Any] | None = None,
) -> Resource:
    """Validate and save ``resource`` and record field -> [old, new] for what changed."""
    actor = as_actor(by, site)
    check_can_contribute(actor)
    with transaction.atomic():
        before: dict[str, Any] = {}
        if resource.pk:
            before = snapshot(Resource.objects.select_for_update().get(pk=resource.pk))
        else:
            resource.created_by = actor.username
            action = "create" if action == "edit" else action
        if not resource.index_number:
            resource.index_number = next_index_number(resource)
        resource.updated_by = actor.username
        resource.full_clean()
        resource.save()
        after = snapshot(resource)
        changes = {name: [before.get(name), value] for name, value in after.items() if before.get(name) != value}
        if changes or action != "edit":
            _record(resource, by=actor, action=action, changes=changes, site=actor.site, audit=audit)
    return resource


def create_resource(*, by: Actor | str, site: Site | None = CURRENT, publish: bool = False, **fields: Any) -> Resource:
    """A new resource from the actor's site (recorded as its source). ``publish=True`` publishes it
    at once, except from a township site, where it goes to review instead."""
    actor = as_actor(by, site)
    resource = Resource(source_site=actor.site, **fields)
    if publish:
        township = must_submit_for_review(actor.site)
        resource.status = ResourceStatus.PENDING_REVIEW if township else ResourceStatus.PUBLISHED
    elif must_submit_for_review(actor.site) and resource.status == ResourceStatus.PUBLISHED:
        resource.status = ResourceStatus.PENDING_REVIEW
    return save_resource(resource, by=actor)


def _as_actor_of(who: Actor | Site | None) -> Actor:
    """An Actor, or trusted code acting from a site (``None``: the platform)."""
    return who if isinstance(who, Actor) else as_actor("", who)


def owns(resource: Resource, who: Actor | Site | None) -> bool:
    """Whether ``who`` (an Actor, or a site; ``None`` is the platform) owns the resource: see
    :func:`shared_library.rights.owns`."""
    return rights.owns(_as_actor_of(who), resource)


def check_can_edit(resource: Resource, who: Actor | Site | None) -> None:
    """A site edits what it owns; a township only until it is published."""
    actor = _as_actor_of(who)
    if not rights.owns(actor, resource):
        raise PermissionDenied(_("只能修改本站点报送的资源。"))
    if must_submit_for_review(actor.site) and resource.status == ResourceStatus.PUBLISHED:
        raise PermissionDenied(_("已发布的资源须由上级站点修改。"))


def update_resource(resource: Resource, *, by: Actor | str, site: Site | None = CURRENT, **fields: Any) -> Resource:
    actor = as_actor(by, site)
    check_can_edit(resource, actor)
    for name, value in fields.items():
        setattr(resource, name, value)
    return save_resource(resource, by=actor)


def submit_for_review(resource: Resource, *, by: Actor | str, site: Site | None = CURRENT) -> Resource:
    actor = as_actor(by, site)
    if resource.status not in (ResourceStatus.DRAFT, ResourceStatus.PENDING_REVIEW):
        raise ValidationError(_("只有草稿可以提交审核。"))
    check_can_edit(resource, actor)
    resource.status = ResourceStatus.PENDING_REVIEW
    return save_resource(resource, by=actor, action="submit")


def _check_can_publish(resource: Resource, actor: Actor) -> None:
    if must_submit_for_review(actor.site):
        raise PermissionDenied(_("乡镇（街道）站点只能提交审核，不能直接发布。"))
    if not rights.owns(actor, resource):
        raise PermissionDenied(_("只能发布本站点或下级站点报送的资源。"))


def approve(resource: Resource, *, by: Actor | str, site: Site | None = CURRENT) -> Resource:
    """A reviewer (platform, or the contributing township's parent site) publishes a submission."""
    actor = as_actor(by, site)
    if resource.status != ResourceStatus.PENDING_REVIEW:
        raise ValidationError(_("该资源不在待审核状态。"))
    _check_can_publish(resource, actor)
    resource.status = ResourceStatus.PUBLISHED
    return save_resource(resource, by=actor, action="approve")


def reject(resource: Resource, comment: str, *, by: Actor | str, site: Site | None = CURRENT) -> Resource:
    """A reviewer sends a submission back to its township as a draft; the comment says what to change
    (kept in the version's audit event)."""
    actor = as_actor(by, site)
    if resource.status != ResourceStatus.PENDING_REVIEW:
        raise ValidationError(_("该资源不在待审核状态。"))
    if not comment.strip():
        raise ValidationError(_("退回时请填写修改意见。"))
    _check_can_publish(resource, actor)
    resource.status = ResourceStatus.DRAFT
    return save_resource(resource, by=actor, action="reject", audit={"comment": comment.strip()})


def publish(resource: Resource, *, by: Actor | str, site: Site | None = CURRENT) -> Resource:
    actor = as_actor(by, site)
    _check_can_publish(resource, actor)
    resource.status = ResourceStatus.PUBLISHED
    resource.withdrawn_at = None
    resource.withdrawn_reason = ""
    return save_resource(resource, by=actor, action="publish")


def withdraw(resource: Resource, reason: str, *, by: Actor | str, site: Site | None = CURRENT) -> Resource:
    """Withdraw everywhere at once: every site's page of it answers 410 with the notice."""
    actor = as_actor(by, site)
    if not reason.strip():
        raise ValidationError({"withdrawn_reason": _("请填写撤回原因。")})
    if must_submit_for_review(actor.site) or not rights.owns(actor, resource):
        raise PermissionDenied(_("只能撤回本站点发布的资源。"))
    resource.status = ResourceStatus.WITHDRAWN
    resource.withdrawn_at = timezone.now()
    resource.withdrawn_reason = reason.strip()
    return save_resource(resource, by=actor, action="withdraw", audit={"reason": resource.withdrawn_reason})


def delete_resource(resource: Resource, *, by: Actor | str, site: Site | None = CURRENT) -> None:
    """Delete a resource everywhere at once (its syndications, versions and files go with it).

    Operators may delete any resource (e.g. one published by mistake with content that must not
    stay up even as a withdrawal notice); a site only what it owns, and on a site only those with
    the library's delete permission get this far. Usually 撤回 is the right tool: old links then
    explain themselves (410) instead of disappearing (404)."""
    actor = as_actor(by, site)
    if not rights.owns(actor, resource):
        raise PermissionDenied(_("只能删除本站点报送的资源。"))
    with transaction.atomic():
        # The version row goes with the resource; the audit event written with it stays.
        _record(
            resource,
            by=actor,
            action="delete",
            changes={},
            site=actor.site,
            audit={"deleted": True, "status": resource.status, "index_number": resource.index_number},
        )
        resource.delete()


def syndicate(
    resource: Resource, sites: Iterable[Site], column_slug: str, *, by: Actor | str, site: Site | None = CURRENT
) -> int:
    """Show ``resource`` in column ``column_slug`` of every site in ``sites`` (转载), in one INSERT.

    No page is copied into any site: sites render the one library row live, which is why 500 sites
    take milliseconds and an edit or withdrawal is seen everywhere at once. All or nothing: a site
    the person may not push to, or a site without that column, refuses the whole request with
    every such site named. Returns the number of sites the resource was newly syndicated to."""
    actor = as_actor(by, site)
    if resource.status != ResourceStatus.PUBLISHED:
        raise ValidationError(_("只有已发布的资源才能转载。"))
    if resource.disclosure == Disclosure.NOT_PUBLIC:
        raise ValidationError(_("不予公开的资源不能转载到站点。"))
    column_slug = (column_slug or "").strip()
    if not column_slug:
        raise ValidationError({"column_slug": _("请指定栏目。")})
    targets = list({s.pk: s for s in sites}.values())
    if not targets:
        raise ValidationError({"sites": _("请选择目标站点。")})
    check_can_syndicate(actor, targets)
    check_column(targets, column_slug)
    site_ids = sorted(s.pk for s in targets)
    with transaction.atomic():
        existing = set(
            Syndication.objects.filter(resource=resource, column_slug=column_slug, site_id__in=site_ids).values_list(
                "site_id", flat=True
            )
        )
        now = timezone.now()
        rows = [
            Syndication(
                resource=resource, site_id=pk, column_slug=column_slug, created_at=now, created_by=actor.username
            )
            for pk in site_ids
            if pk not in existing
        ]
        Syndication.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
        if rows:
            added = [s for s in sorted(targets, key=lambda s: s.pk) if s.pk not in existing]
            _record(
                resource,
                by=actor,
                action="syndicate",
                changes={"syndication": [None, {"column": column_slug, "site_ids": [row.site_id for row in rows]}]},
                site=actor.site,
                audit={"column": column_slug, "sites": _sites_detail(added)},
            )
    return len(rows)


def unsyndicate(
    resource: Resource,
    sites: Iterable[Site],
    *,
    by: Actor | str,
    site: Site | None = CURRENT,
    column_slug: str | None = None,
) -> int:
    """Take ``resource`` off ``sites`` (only from ``column_slug`` when given), with the same right
    as pushing it there. Returns the number of syndications removed."""
    actor = as_actor(by, site)
    targets = list({s.pk: s for s in sites}.values())
    check_can_syndicate(actor, targets)
    rows = Syndication.objects.filter(resource=resource, site_id__in=[s.pk for s in targets])
    if column_slug:
        rows = rows.filter(column_slug=column_slug)
    with transaction.atomic():
        removed = list(rows.select_for_update().values_list("site_id", "column_slug"))
        deleted, _detail = rows.delete()
        if deleted:
            site_ids = sorted({site_id for site_id, _column in removed})
            columns = sorted({column for _site_id, column in removed})
            _record(
                resource,
                by=actor,
                action="unsyndicate",
                changes={"syndication": [{"site_ids": site_ids, "columns": columns}, None]},
                site=actor.site,
                audit={"column": "、".join(columns), "sites": _sites_detail(s for s in targets if s.pk in site_ids)},
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

    file_type = validate_upload(uploaded)  # type by content, size limit: ValidationError otherwise
    with transaction.atomic():
        attachment = Attachment(
            resource=resource,
            title=title or uploaded.name,
            size=uploaded.size or 0,
            content_type=file_type.content_type,
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
