"""What a site has and serves, read without changing anything: the first half of a plan.

One query per kind of thing (pages, images, renditions, documents, ...), plus two per column for its
list length, so a site of thousands of pages is inventoried in well under a second.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django_tenants.utils import tenant_context
from wagtail.contrib.forms.models import AbstractForm, FormSubmission
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction

from identity.models import SiteRole
from shared_library.models import Resource, ResourceStatus, Syndication
from shared_library.site_listing import column_listing
from tenants.closure import addresses, sitefacts
from tenants.content.models import ArticlePage, ColumnPage
from tenants.models import Site

COLUMN_MODEL = "content.columnpage"


@dataclass
class PageRow:
    id: int
    parent_id: int | None
    depth: int
    title: str
    slug: str
    model: str  # "app_label.modelname"
    live: bool
    url: str  # the path X serves it at ("/news/a/"), "/" for the home page
    owner: str  # username of the owner on X, "" if none

    @property
    def is_column(self) -> bool:
        return self.model == COLUMN_MODEL


@dataclass
class FileRow:
    id: int
    title: str
    name: str  # storage name on X ("documents/通知.pdf")
    paths: list[str]  # the paths X serves it at (decoded)

    @property
    def basename(self) -> str:
        return posixpath.basename(self.name)


@dataclass
class Inventory:
    site: Site
    root_url: str
    hosts: list[str]
    home: PageRow
    pages: list[PageRow]  # tree order, the home page first
    list_lengths: dict[int, int] = field(default_factory=dict)  # column id -> items listed (articles + syndicated)
    restricted: set[int] = field(default_factory=set)  # pages with a view restriction
    images: list[FileRow] = field(default_factory=list)
    renditions: dict[int, list[str]] = field(default_factory=dict)  # image id -> rendition paths
    documents: list[FileRow] = field(default_factory=list)
    remote_files: int = 0  # files served from object storage, not from X's own domains
    library: list[tuple[int, str]] = field(default_factory=list)  # (resource id, title) shown at /library/<pk>/
    contributed: list[int] = field(default_factory=list)  # resource ids X contributed (any status)
    syndications: list[tuple[int, int, str]] = field(default_factory=list)  # (id, resource id, column slug)
    forms: list[int] = field(default_factory=list)  # form page ids
    form_submissions: int = 0
    redirects: list[dict] = field(default_factory=list)  # Wagtail redirects X had
    roles: list[dict] = field(default_factory=list)
    excluded: set[int] = field(default_factory=set)  # pages not to copy (the closure notice itself)

    def by_id(self) -> dict[int, PageRow]:
        return {page.id: page for page in self.pages}

    def counts(self) -> dict[str, int]:
        live = [page for page in self.pages if page.live]
        return {
            "pages": len(self.pages),
            "live_pages": len(live),
            "columns": sum(1 for page in self.pages if page.is_column),
            "articles": sum(1 for page in self.pages if page.model == "content.articlepage"),
            "images": len(self.images),
            "renditions": sum(len(paths) for paths in self.renditions.values()),
            "documents": len(self.documents),
            "library_items": len(self.library),
            "contributed_resources": len(self.contributed),
            "syndications": len(self.syndications),
            "forms": len(self.forms),
            "form_submissions": self.form_submissions,
            "redirects": len(self.redirects),
            "roles": len(self.roles),
            "domains": len(self.hosts),
        }


def _model_labels() -> dict[int, str]:
    return {ct.pk: f"{ct.app_label}.{ct.model}" for ct in ContentType.objects.all()}


def _pages(excluded: set[int]) -> tuple[PageRow, list[PageRow], set[int]]:
    home = sitefacts.home_page()
    labels = _model_labels()
    rows = (
        Page.objects.descendant_of(home, inclusive=True)
        .order_by("path")
        .values("id", "path", "depth", "title", "slug", "content_type_id", "live", "url_path", "owner__username")
    )
    pages: list[PageRow] = []
    parents: dict[str, int] = {}
    for row in rows:
        if row["id"] in excluded:
            continue
        parent_path = row["path"][: -Page.steplen]
        page = PageRow(
            id=row["id"],
            parent_id=parents.get(parent_path) if row["id"] != home.pk else None,
            depth=row["depth"],
            title=row["title"],
            slug=row["slug"],
            model=labels.get(row["content_type_id"], ""),
            live=row["live"],
            url=sitefacts.public_path(row["url_path"], home.url_path),
            owner=row["owner__username"] or "",
        )
        parents[row["path"]] = row["id"]
        pages.append(page)
    restricted = set(PageViewRestriction.objects.values_list("page_id", flat=True))
    return pages[0], pages, restricted


def _list_lengths(site: Site, pages: list[PageRow]) -> dict[int, int]:
    """How many items each live column lists (its own articles + what was syndicated into it), so the
    plan knows which ``?page=N`` URLs exist."""
    lengths = {}
    for column in ColumnPage.objects.live().filter(pk__in=[p.id for p in pages if p.is_column and p.live]):
        articles = ArticlePage.objects.live().public().descendant_of(column)
        lengths[column.pk] = column_listing(articles, column.slug, site=site).count()
    return lengths


def _files(model, served_paths, hosts: set[str]) -> tuple[list[FileRow], int]:
    rows, remote = [], 0
    for item in model.objects.order_by("pk").values("id", "title", "file"):
        paths = served_paths(item)
        direct = sitefacts.local_path(default_storage.url(item["file"]), hosts)
        if direct is None:
            remote += 1
        else:
            paths.append(direct)
        rows.append(FileRow(id=item["id"], title=item["title"], name=item["file"], paths=paths))
    return rows, remote


def _renditions(hosts: set[str]) -> dict[int, list[str]]:
    renditions: dict[int, list[str]] = {}
    rendition_model = get_image_model().get_rendition_model()
    for image_id, name in rendition_model.objects.order_by("pk").values_list("image_id", "file"):
        path = sitefacts.local_path(default_storage.url(name), hosts)
        if path is not None:
            renditions.setdefault(image_id, []).append(path)
    return renditions


def _form_pages(pages: list[PageRow]) -> list[int]:
    forms = []
    for page in pages:
        app_label, _dot, model_name = page.model.partition(".")
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:
            continue
        if issubclass(model, AbstractForm):
            forms.append(page.id)
    return forms


def _redirects() -> list[dict]:
    return [
        {"old_path": r.old_path, "page_id": r.redirect_page_id, "link": r.redirect_link, "permanent": r.is_permanent}
        for r in Redirect.objects.order_by("old_path")
    ]


def take_inventory(site: Site, *, excluded: set[int] | None = None) -> Inventory:
    """Everything of ``site`` that a closure moves or maps. ``excluded`` pages (the closure notice) are
    left out of the page list."""
    excluded = set(excluded or ())
    site_hosts = addresses.site_domains(site)
    root_url = addresses.root_url(site)
    host_set = set(site_hosts)
    with tenant_context(site):
        home, pages, restricted = _pages(excluded)
        images, remote_images = _files(get_image_model(), lambda item: [], host_set)
        documents, remote_documents = _files(
            get_document_model(),
            lambda item: [sitefacts.document_path(item["id"], item["file"].rsplit("/", 1)[-1])],
            host_set,
        )
        inventory = Inventory(
            site=site,
            root_url=root_url,
            hosts=site_hosts,
            home=home,
            pages=pages,
            list_lengths=_list_lengths(site, pages),
            restricted=restricted,
            images=images,
            renditions=_renditions(host_set),
            documents=documents,
            remote_files=remote_images + remote_documents,
            forms=_form_pages(pages),
            form_submissions=FormSubmission.objects.count(),
            redirects=_redirects(),
            excluded=excluded,
        )
    shown = Resource.objects.visible_on(site).filter(status__in=[ResourceStatus.PUBLISHED, ResourceStatus.WITHDRAWN])
    inventory.library = list(shown.order_by("pk").values_list("id", "title"))
    inventory.contributed = list(Resource.objects.filter(source_site=site).order_by("pk").values_list("id", flat=True))
    inventory.syndications = list(
        Syndication.objects.filter(site=site).order_by("pk").values_list("id", "resource_id", "column_slug")
    )
    inventory.roles = [
        {
            "account_id": role.account_id,
            "username": role.account.username,
            "role": role.role,
            "columns": list(role.columns),
        }
        for role in SiteRole.objects.filter(site=site).select_related("account").order_by("account__username")
    ]
    return inventory
