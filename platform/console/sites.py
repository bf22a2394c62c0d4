"""Operators' changes to sites: create (through provisioning), edit identity/theme/parent,
suspend and resume. Each change is one transaction and one audit event naming what changed."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context
from wagtail.models import Site as WagtailSite

from audit.log import record
from console.stats import refresh_site
from tenants.events import site_changed_on_commit
from tenants.models import Site, SiteKind, SiteStatus
from tenants.provisioning import ProvisionResult, SiteSpec, provision_site

# What an operator may change on an existing site (slug, kind and schema are fixed at creation).
IDENTITY_FIELDS = ["name", "organiser", "operator", "contact", "site_code", "icp_number", "police_number"]
EDITABLE_FIELDS = [*IDENTITY_FIELDS, "theme", "parent"]


def create_site(spec: SiteSpec, *, by=None) -> ProvisionResult:
    """Provision exactly as ``create_site`` does (validation, warm pool, one transaction, audit),
    then give the new site its statistics row so it shows up with numbers at once."""
    result = provision_site(spec, by=by)
    refresh_site(result.site)
    return result


def descendant_ids(site: Site) -> set[int]:
    """Every site below ``site`` (one query over the parent column, walked in memory)."""
    children: dict[int, list[int]] = {}
    for pk, parent_id in Site.objects.exclude(parent=None).values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    found: set[int] = set()
    stack = list(children.get(site.pk, []))
    while stack:
        pk = stack.pop()
        if pk not in found:
            found.add(pk)
            stack.extend(children.get(pk, []))
    return found


def parent_choices(site: Site | None = None):
    """Sites that may be a parent (of ``site``): not the platform, not closed, not ``site`` itself
    or anything below it (that would make a cycle)."""
    queryset = Site.objects.exclude(kind=SiteKind.PLATFORM).exclude(status=SiteStatus.CLOSED).order_by("kind", "name")
    if site is not None and site.pk:
        queryset = queryset.exclude(pk__in={site.pk, *descendant_ids(site)})
    return queryset


def check_parent(site: Site, parent: Site | None) -> None:
    if parent is None:
        return
    if parent.pk == site.pk or parent.pk in descendant_ids(site):
        raise ValidationError({"parent": _("不能把站点挂到它自己或它的下级站点之下（会形成循环）。")})
    if parent.is_platform:
        raise ValidationError({"parent": _("平台不能作为上级站点。")})
    if parent.status == SiteStatus.CLOSED:
        raise ValidationError({"parent": _("已关停的站点不能作为上级站点。")})


def _shown(site: Site, field: str, value) -> str:
    if field == "parent":
        return value.name if value else ""
    if field == "theme":
        return dict(site._meta.get_field("theme").choices).get(value, value)
    return value or ""


@transaction.atomic
def update_site(site: Site, changes: dict, *, by=None, request: HttpRequest | None = None) -> dict:
    """Apply ``changes`` (a subset of EDITABLE_FIELDS) and audit the before/after of each field
    that really changed. Returns that diff (empty: nothing was saved)."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    site = Site.objects.select_for_update().get(pk=site.pk)
    if "parent" in changes:
        check_parent(site, changes["parent"])
    before = {field: getattr(site, field) for field in changes}
    for field, value in changes.items():
        setattr(site, field, value.strip() if isinstance(value, str) else value)
    diff = {
        field: [_shown(site, field, before[field]), _shown(site, field, getattr(site, field))]
        for field in changes
        if before[field] != getattr(site, field)
    }
    if not diff:
        return {}
    site.full_clean(validate_unique=False)
    site.save(update_fields=list(diff))
    if "name" in diff:
        with schema_context(site.schema_name):
            for wagtail_site in WagtailSite.objects.filter(is_default_site=True):
                wagtail_site.site_name = site.name
                wagtail_site.save()
    record("site_update", actor=by, site=site, obj=site, request=request, changes=diff)
    site_changed_on_commit(site.pk, "updated")
    return diff


@transaction.atomic
def suspend(site: Site, reason: str, *, by=None, request: HttpRequest | None = None) -> Site:
    """暂停服务: the public gets a 503 notice; the admin stays reachable. Only a running site."""
    site = Site.objects.select_for_update().get(pk=site.pk)
    if site.is_platform:
        raise ValidationError(_("平台本身不能暂停服务。"))
    if site.status != SiteStatus.ACTIVE:
        raise ValidationError(_("只有运行中的站点可以暂停服务（当前：%s）。") % site.get_status_display())
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写暂停服务的原因。")})
    site.status = SiteStatus.SUSPENDED
    site.save(update_fields=["status"])
    site_changed_on_commit(site.pk, "suspended")
    record("site_update", actor=by, site=site, obj=site, request=request,
           changes={"status": [str(SiteStatus.ACTIVE.label), str(SiteStatus.SUSPENDED.label)]},
           reason=reason.strip())  # fmt: skip
    return site


@transaction.atomic
def resume(site: Site, *, by=None, request: HttpRequest | None = None) -> Site:
    site = Site.objects.select_for_update().get(pk=site.pk)
    if site.status != SiteStatus.SUSPENDED:
        raise ValidationError(_("只有暂停服务的站点可以恢复（当前：%s）。") % site.get_status_display())
    site.status = SiteStatus.ACTIVE
    site.save(update_fields=["status"])
    site_changed_on_commit(site.pk, "resumed")
    record("site_update", actor=by, site=site, obj=site, request=request,
           changes={"status": [str(SiteStatus.SUSPENDED.label), str(SiteStatus.ACTIVE.label)]})  # fmt: skip
    return site
