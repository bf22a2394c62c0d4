"""Where each of X's pages lands on P: the section, its sub-columns, or one of P's own columns.

The rules, decided once here and used by both the plan (to promise URLs) and execute (to keep them):

- X's home page becomes the section: a column under P's home, titled after X, slug from X's slug.
- Per top-level X column, the operator chooses ``section`` (it becomes a sub-column of the section,
  with its nested columns and pages) or ``column:<P column slug>`` (its articles, at any depth, go
  flat into that column of P; X's column pages themselves are not copied and point at P's column).
- Column slugs must stay unique among P's columns, because a column lists library syndications by its
  slug: a copied ``news`` next to P's own ``news`` would show P's syndications twice. A clashing column
  slug becomes ``<section slug>-<slug>``.
- Pages keep their slugs unless a sibling on P already has it (then ``-2``, ``-3`` ...).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page

from tenants.closure import addresses, sitefacts
from tenants.closure.inventory import Inventory, PageRow
from tenants.content.models import ColumnPage
from tenants.models import Site

SECTION = "section"
COLUMN = "column"
# Django's ``slug`` path converter: only such column slugs have a feed URL (/feed/<slug>/).
FEED_SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")


@dataclass
class TargetColumn:
    id: int
    title: str
    path: str  # public path on P


@dataclass
class TargetFacts:
    """What the plan needs to know of P (read in P's schema)."""

    site: Site
    root_url: str
    home_id: int
    home_url_path: str
    home_child_slugs: set[str]
    columns: dict[str, TargetColumn]  # slug -> the first column with it, in tree order
    column_children: dict[int, set[str]]  # column id -> its children's slugs (mapped columns only)
    document_names: set[str]
    image_names: set[str]


@dataclass
class Placement:
    """One X page on P: copied under ``parent`` with ``slug`` (``copy``), or answered by ``path``."""

    id: int
    parent: str  # "p:<P page id>" or "x:<X page id>" (the copy of that X page)
    slug: str
    path: str  # public path on P
    copy: bool = True


@dataclass
class Mapping:
    section_slug: str
    section_title: str
    placements: list[Placement]
    columns: list[dict]  # per top-level X column: slug, title, mode, target, new_slug
    column_slugs: dict[str, str]  # X column slug -> P column slug (syndications and feeds follow it)
    conflicts: list[dict] = field(default_factory=list)

    @property
    def blocking(self) -> list[dict]:
        return [conflict for conflict in self.conflicts if conflict["blocking"]]

    def as_json(self) -> dict:
        return {
            "section": {"slug": self.section_slug, "title": self.section_title},
            "pages": [asdict(placement) for placement in self.placements],
            "columns": self.columns,
            "column_slugs": self.column_slugs,
            "conflicts": self.conflicts,
        }

    @classmethod
    def from_json(cls, data: dict) -> Mapping:
        return cls(
            section_slug=data["section"]["slug"],
            section_title=data["section"]["title"],
            placements=[Placement(**item) for item in data["pages"]],
            columns=data["columns"],
            column_slugs=data["column_slugs"],
            conflicts=data["conflicts"],
        )


def parse_column_map(raw: dict | None, column_slugs: list[str]) -> dict[str, dict]:
    """``{"news": "section", "notices": "column:notices"}`` (or the stored ``{"mode":…, "target":…}``
    form) -> the stored form, every top-level X column present. Unknown columns or modes are refused."""
    result = {slug: {"mode": SECTION, "target": ""} for slug in column_slugs}
    errors = []
    for slug, value in (raw or {}).items():
        if slug not in result:
            errors.append(_("关停站点没有栏目“%s”。") % slug)
            continue
        if isinstance(value, dict):
            mode, target = value.get("mode", ""), value.get("target", "")
        else:
            mode, _colon, target = str(value).strip().partition(":")
        mode, target = mode.strip(), target.strip()
        if mode == SECTION and not target:
            result[slug] = {"mode": SECTION, "target": ""}
        elif mode == COLUMN and target:
            result[slug] = {"mode": COLUMN, "target": target}
        else:
            errors.append(
                _("栏目“%(slug)s”的映射“%(value)s”无效：应为 section 或 column:<迁入站点栏目代号>。")
                % {
                    "slug": slug,
                    "value": value,
                }
            )
    if errors:
        raise ValidationError(errors)
    return result


def read_target(site: Site, column_map: dict[str, dict]) -> TargetFacts:
    wanted = {value["target"] for value in column_map.values() if value["mode"] == COLUMN}
    root_url = addresses.root_url(site)
    with tenant_context(site):
        home = sitefacts.home_page()
        columns: dict[str, TargetColumn] = {}
        for column in ColumnPage.objects.order_by("path").only("id", "title", "slug", "url_path"):
            columns.setdefault(
                column.slug,
                TargetColumn(column.pk, column.title, sitefacts.public_path(column.url_path, home.url_path)),
            )
        mapped_ids = [columns[slug].id for slug in wanted if slug in columns]
        column_children: dict[int, set[str]] = {pk: set() for pk in mapped_ids}
        for column in Page.objects.filter(pk__in=mapped_ids):
            column_children[column.pk] = set(column.get_children().values_list("slug", flat=True))
        return TargetFacts(
            site=site,
            root_url=root_url,
            home_id=home.pk,
            home_url_path=home.url_path,
            home_child_slugs=set(home.get_children().values_list("slug", flat=True)),
            columns=columns,
            column_children=column_children,
            document_names={
                name.rsplit("/", 1)[-1] for name in get_document_model().objects.values_list("file", flat=True)
            },
            image_names={name.rsplit("/", 1)[-1] for name in get_image_model().objects.values_list("file", flat=True)},
        )


def _free(slug: str, taken: set[str]) -> str:
    candidate, n = slug, 1
    while candidate in taken:
        n += 1
        candidate = f"{slug}-{n}"
    return candidate


def build_mapping(
    inventory: Inventory,
    target: TargetFacts,
    column_map: dict[str, dict],
    *,
    section_slug: str,
    section_title: str,
) -> Mapping:
    conflicts: list[dict] = []

    def conflict(code: str, message: str, *, blocking: bool = False, **details) -> None:
        conflicts.append({"code": code, "blocking": blocking, "message": message, **details})

    if section_slug in target.home_child_slugs or section_slug in target.columns:
        conflict(
            "section_slug",
            _("迁入站点已有代号为“%s”的栏目或页面，请另选迁入栏目代号。") % section_slug,
            blocking=True,
            slug=section_slug,
        )
    pages = inventory.by_id()
    section_path = f"/{section_slug}/"
    placements: dict[int, Placement] = {
        inventory.home.id: Placement(inventory.home.id, f"p:{target.home_id}", section_slug, section_path)
    }
    # Slugs in use per parent on P ("p:<id>" for P's own pages, "x:<id>" for copies) and among P's columns.
    taken: dict[str, set[str]] = {f"x:{inventory.home.id}": set()}
    for column_id, slugs in target.column_children.items():
        taken[f"p:{column_id}"] = set(slugs)
    column_slugs_taken = set(target.columns) | {section_slug}
    column_slugs: dict[str, str] = {}
    columns: list[dict] = []
    top_of: dict[int, PageRow] = {}

    for page in inventory.pages[1:]:
        parent = pages.get(page.parent_id)
        if parent is None:  # below a page left out (the closure notice has no children); nothing to map
            continue
        top = page if parent.id == inventory.home.id else top_of[parent.id]
        top_of[page.id] = top
        choice = column_map.get(top.slug, {"mode": SECTION, "target": ""}) if top.is_column else {"mode": SECTION}
        if choice["mode"] == COLUMN:
            merged = target.columns.get(choice["target"])
            if merged is None:
                if page.id == top.id:
                    conflict(
                        "missing_column",
                        _("迁入站点没有栏目“%(target)s”（栏目“%(title)s”映射到该栏目）。")
                        % {"target": choice["target"], "title": page.title},
                        blocking=True,
                        slug=page.slug,
                        target=choice["target"],
                    )
                placements[page.id] = Placement(page.id, "", page.slug, section_path, copy=False)
                continue
            if page.is_column:  # X's column pages are not copied: P's column answers for them
                placements[page.id] = Placement(page.id, f"p:{merged.id}", page.slug, merged.path, copy=False)
                column_slugs.setdefault(page.slug, choice["target"])
                if page.id == top.id:
                    columns.append(_column_entry(page, COLUMN, choice["target"], choice["target"]))
                continue
            parent_key, parent_path = f"p:{merged.id}", merged.path
        else:
            parent_key, parent_path = f"x:{parent.id}", placements[parent.id].path
        siblings = taken.setdefault(parent_key, set())
        slug = page.slug
        if page.is_column:
            if slug in column_slugs_taken:
                slug = _free(f"{section_slug}-{page.slug}", column_slugs_taken | siblings)
                conflict(
                    "slug",
                    _("栏目“%(title)s”的代号“%(slug)s”在迁入站点已被使用，迁移后改为“%(new)s”。")
                    % {"title": page.title, "slug": page.slug, "new": slug},
                    slug=page.slug,
                    new_slug=slug,
                )
            column_slugs_taken.add(slug)
            column_slugs.setdefault(page.slug, slug)
            if page.id == top.id:
                columns.append(_column_entry(page, SECTION, "", slug))
        if slug in siblings:
            new = _free(slug, siblings)
            conflict(
                "slug",
                _("页面“%(title)s”的代号“%(slug)s”与迁入栏目中的页面重复，迁移后改为“%(new)s”。")
                % {"title": page.title, "slug": slug, "new": new},
                slug=slug,
                new_slug=new,
            )
            slug = new
        siblings.add(slug)
        placements[page.id] = Placement(page.id, parent_key, slug, f"{parent_path}{slug}/")

    for kind, rows, names in (
        ("document", inventory.documents, target.document_names),
        ("image", inventory.images, target.image_names),
    ):
        for row in rows:
            if row.basename in names:
                conflict(
                    "file_name",
                    _("迁入站点已有同名文件“%(name)s”，迁移后两者分别保存，互不覆盖。") % {"name": row.basename},
                    kind=kind,
                    name=row.basename,
                )
    return Mapping(
        section_slug=section_slug,
        section_title=section_title,
        placements=[placements[page.id] for page in inventory.pages if page.id in placements],
        columns=columns,
        column_slugs=column_slugs,
        conflicts=conflicts,
    )


def _column_entry(page: PageRow, mode: str, target: str, new_slug: str) -> dict:
    return {"slug": page.slug, "title": page.title, "mode": mode, "target": target, "new_slug": new_slug}


def p_column_slug(mapping: Mapping, x_slug: str) -> str:
    """Where something X listed under column ``x_slug`` is listed on P (a slug X had no column for:
    the section itself)."""
    return mapping.column_slugs.get(x_slug, mapping.section_slug)


def feed_slug(slug: str) -> bool:
    return bool(FEED_SLUG.match(slug))
