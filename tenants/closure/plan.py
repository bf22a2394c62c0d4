"""Plan a closure: inventory X, decide where everything goes on P, list conflicts, map every URL.

Nothing on either site changes; the result is the ``Closure`` row (its ``plan`` JSON) and its
``ClosureUrl`` rows. Planning again while the closure is planned or in its notice period refreshes
both (the site may have changed); execute plans once more before it copies anything, so what it
copies matches the URLs it promises.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import IO

from django.core.exceptions import ValidationError
from django.core.validators import validate_unicode_slug
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context
from wagtail.images import get_image_model

from audit.log import record
from tenants.closure import sitefacts
from tenants.closure.addresses import root_url
from tenants.closure.files import copy_name
from tenants.closure.inventory import Inventory, take_inventory
from tenants.closure.mapping import Mapping, build_mapping, parse_column_map, read_target
from tenants.closure.models import OPEN_STATUSES, Closure, ClosureItem, ClosureStatus, ClosureUrl
from tenants.closure.urlmap import NewPaths, Notice, build_rows
from tenants.models import Site, SiteStatus

REPLANNABLE = (ClosureStatus.PLANNED, ClosureStatus.NOTICE)


def _actor(by) -> str:
    return by if isinstance(by, str) else getattr(by, "username", "") or ""


def open_closure(site: Site) -> Closure | None:
    return Closure.objects.filter(site=site, status__in=OPEN_STATUSES).first()


def _is_descendant(candidate: Site, ancestor: Site) -> bool:
    seen = set()
    node = candidate.parent
    while node is not None and node.pk not in seen:
        if node.pk == ancestor.pk:
            return True
        seen.add(node.pk)
        node = node.parent
    return False


def check_sites(site: Site, target: Site | None) -> Site:
    """Refuse what cannot be closed, or closed into that target; returns the target (X's parent by default)."""
    if site.is_platform or site.schema_name == "public":
        raise ValidationError(_("平台本身不能关停。"))
    if site.status == SiteStatus.CLOSED:
        raise ValidationError(_("站点“%s”已关停。") % site.name)
    target = target or site.parent
    if target is None:
        raise ValidationError(_("站点“%s”没有上级站点，请指定迁入站点。") % site.name)
    if target.pk == site.pk:
        raise ValidationError(_("站点不能迁入自身。"))
    if target.is_platform or target.schema_name == "public":
        raise ValidationError(_("不能迁入平台本身，请指定一个站点。"))
    if _is_descendant(target, site):
        raise ValidationError(_("不能迁入本站点的下级站点“%s”。") % target.name)
    if target.status != SiteStatus.ACTIVE:
        raise ValidationError(_("迁入站点“%s”已关停或正在关停，不能接收迁移。") % target.name)
    if open_closure(target) is not None:
        raise ValidationError(_("迁入站点“%s”有进行中的关停任务，不能接收迁移。") % target.name)
    incoming = Closure.objects.filter(target=site, status__in=OPEN_STATUSES).select_related("site").first()
    if incoming is not None:
        raise ValidationError(
            _("站点“%(site)s”正在接收“%(other)s”的迁移，完成前不能关停。")
            % {
                "site": site.name,
                "other": incoming.site.name,
            }
        )
    return target


def notice_items(closure: Closure) -> dict[str, ClosureItem]:
    """The closure notices published on X ("x") and P ("p")."""
    if closure.pk is None:
        return {}
    return {item.source_id: item for item in closure.items.filter(kind="notice")}


def notices_for_map(closure: Closure) -> tuple[set[int], list[Notice]]:
    """X's notice page (left out of the copy) and where its URL goes (P's notice)."""
    items = notice_items(closure)
    x, p = items.get("x"), items.get("p")
    if x is None:
        return set(), []
    notice = Notice(
        path=x.data.get("path", ""), title=x.data.get("title", ""), new_path=p.data.get("path") if p else ""
    )
    return {int(x.target_id)}, [notice]


def _predicted_image_paths(inventory: Inventory, target: Site) -> dict[int, str]:
    field = get_image_model()._meta.get_field("file")
    with tenant_context(target):
        return {
            image.id: sitefacts.local_path(
                field.storage.url(copy_name(image.name, inventory.site.slug, field.max_length))
            )
            or ""
            for image in inventory.images
        }


def compute(closure: Closure) -> tuple[Inventory, Mapping, list]:
    """Inventory + placements + URL rows for the closure's current settings (reads only)."""
    excluded, notices = notices_for_map(closure)
    inventory = take_inventory(closure.site, excluded=excluded)
    top_columns = [page.slug for page in inventory.pages if page.parent_id == inventory.home.id and page.is_column]
    column_map = parse_column_map(closure.column_map, top_columns)
    closure.column_map = column_map
    facts = read_target(closure.target, column_map)
    mapping = build_mapping(
        inventory, facts, column_map, section_slug=closure.section_slug, section_title=closure.section_title
    )
    new = NewPaths(
        pages={placement.id: placement.path for placement in mapping.placements},
        images=_predicted_image_paths(inventory, closure.target),
        files_pending=True,
    )
    rows = build_rows(inventory, mapping, facts.root_url, new, notices)
    closure.plan = {
        "counts": inventory.counts(),
        "source_root": inventory.root_url,
        "target_root": facts.root_url,
        "domains": inventory.hosts,
        "roles": inventory.roles,
        "redirects": inventory.redirects,
        "forms": inventory.forms,
        "remote_files": inventory.remote_files,
        "contributed": inventory.contributed,
        "syndications": [{"id": i, "resource": r, "column": c} for i, r, c in inventory.syndications],
        "excluded": sorted(excluded),
        "tree": [
            {"id": p.id, "parent": p.parent_id, "title": p.title, "slug": p.slug, "type": p.model, "live": p.live,
             "url": p.url}
            for p in inventory.pages
        ],
        **mapping.as_json(),
    }  # fmt: skip
    return inventory, mapping, rows


def refresh(closure: Closure) -> Mapping:
    """Plan again with the closure's own settings (X or P may have changed since); saves plan and URLs."""
    _inventory, mapping, rows = compute(closure)
    closure.planned_at = timezone.now()
    with transaction.atomic():
        closure.save()
        save_rows(closure, rows)
    return mapping


def save_rows(closure: Closure, rows: list) -> None:
    ClosureUrl.objects.filter(closure=closure).delete()
    ClosureUrl.objects.bulk_create(
        [
            ClosureUrl(
                closure=closure,
                site=closure.site,
                path=row.path[:2000],
                kind=row.kind,
                title=row.title,
                new_url=row.new_url[:2000],
                status_code=row.status_code,
                source_id=row.source_id,
            )
            for row in rows
        ],
        batch_size=1000,
    )


def plan_closure(
    site: Site,
    target: Site | None = None,
    *,
    by,
    column_map: dict | None = None,
    section_title: str | None = None,
    section_slug: str | None = None,
) -> Closure:
    """Plan closing ``site`` into ``target`` (its parent by default), or refresh its open plan."""
    closure = open_closure(site)
    if closure is not None and closure.status not in REPLANNABLE:
        raise ValidationError(
            _("站点“%(site)s”的关停任务已在“%(status)s”阶段，不能重新规划。")
            % {"site": site.name, "status": closure.get_status_display()}
        )
    if closure is not None and target is None:
        target = closure.target
    target = check_sites(site, target)
    section_slug = (section_slug or (closure.section_slug if closure else "") or site.slug).strip()
    section_title = (section_title or (closure.section_title if closure else "") or site.name).strip()
    try:
        validate_unicode_slug(section_slug)
    except ValidationError as exc:
        raise ValidationError(
            _("迁入栏目代号“%s”无效：只能使用字母、数字、汉字、连字符和下划线。") % section_slug
        ) from exc
    if closure is not None and closure.status == ClosureStatus.NOTICE:
        if target.pk != closure.target_id or section_slug != closure.section_slug:
            raise ValidationError(_("关停公告已发布新地址，不能再更改迁入站点或迁入栏目代号；如需更改，请先回滚。"))
    if closure is None:
        closure = Closure(site=site, created_by=_actor(by))
    closure.target = target
    closure.section_slug = section_slug
    closure.section_title = section_title
    if column_map is not None:
        closure.column_map = column_map
    mapping = refresh(closure)
    record(
        "closure_plan",
        actor=by,
        site=site,
        obj=closure,
        target=target.slug,
        section=section_slug,
        counts=closure.plan["counts"],
        urls=closure.urls.count(),
        conflicts=len(mapping.conflicts),
        blocking=len(mapping.blocking),
    )
    return closure


def blocking_conflicts(closure: Closure) -> list[dict]:
    return [conflict for conflict in closure.plan.get("conflicts", []) if conflict.get("blocking")]


def plan_rows(closure: Closure) -> Iterator[tuple[str, str, int, str, str]]:
    """(old URL, new URL, status code, kind, title) for every URL X serves, old URLs on X's primary domain."""
    root = closure.plan.get("source_root") or root_url(closure.site)
    for url in closure.urls.order_by("path").iterator(chunk_size=2000):
        yield root + url.path, url.new_url, url.status_code, url.kind, url.title


def write_csv(closure: Closure, stream: IO[str]) -> int:
    """The plan as CSV (UTF-8 with BOM, so spreadsheet programs read the Chinese); returns the row count."""
    stream.write("\ufeff")
    writer = csv.writer(stream)
    writer.writerow([_("原地址"), _("新地址"), _("响应码"), _("类型"), _("标题")])
    kinds = dict(ClosureUrl._meta.get_field("kind").choices)
    count = 0
    for old_url, new_url, status_code, kind, title in plan_rows(closure):
        if not new_url and status_code == 301:
            new_url = _("（执行迁移时分配）")
        writer.writerow([old_url, new_url, status_code, kinds.get(kind, kind), title])
        count += 1
    return count
