"""Which sites of the cluster a site links to, and its own primary domain: one cached lookup per site.

Every public page shows the cluster links (上级网站 up to the city portal; a county's townships and
departments, a city's counties and departments) and writes absolute URLs on the site's primary
domain (canonical link, OpenGraph, sitemap, robots). Both come from here, so a page costs one cache
read for them, never a query per request.

The cache entry lives under the site's own schema (the cache key function prefixes the current
schema, and a public request runs in it); ``purge_for_change`` deletes it in each affected site's
schema when ``tenants.events.site_changed`` says something changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest
from django_tenants.utils import schema_context

from tenants.addresses import site_root
from tenants.models import Domain, Site, SiteKind, SiteStatus

CACHE_KEY = "zq-web:relations:v1"
# A safety net only: every change that matters purges the entry at once (see purge_for_change).
CACHE_SECONDS = 6 * 60 * 60
# Sites a visitor can be sent to: a closing site still serves; closed and suspended ones do not.
LINKABLE = (SiteStatus.ACTIVE, SiteStatus.CLOSING)
# The order children are listed in (a city lists its counties first, a county its townships first).
CHILD_ORDER = {SiteKind.COUNTY: 0, SiteKind.TOWNSHIP: 1, SiteKind.DEPARTMENT: 2, SiteKind.CITY: 3}


@dataclass(frozen=True)
class SiteLink:
    """Another site as a link: what the footer and the 网站地图 need, nothing that needs a query."""

    pk: int
    name: str
    kind: str
    domain: str

    @property
    def kind_label(self) -> str:
        return str(SiteKind(self.kind).label) if self.kind in SiteKind.values else ""


@dataclass(frozen=True)
class Relations:
    """A site's place in the cluster. ``ancestors`` runs from the parent up to the top (the city
    portal); ``children`` are the linkable sites directly under it."""

    domain: str
    ancestors: tuple[SiteLink, ...] = ()
    children: tuple[SiteLink, ...] = ()
    children_by_kind: tuple[tuple[str, tuple[SiteLink, ...]], ...] = field(default=())

    @property
    def portal(self) -> SiteLink | None:
        """The top of the chain (the city portal), None when this site is the top."""
        return self.ancestors[-1] if self.ancestors else None

    @property
    def is_empty(self) -> bool:
        return not self.ancestors and not self.children


def compute_relations(site: Site) -> Relations:
    """Read the relations from the database (three or four small queries: the cache makes them rare)."""
    chain: list[Site] = []
    parent_id = site.parent_id
    seen = {site.pk}
    while parent_id and parent_id not in seen:  # a corrupt loop in the tree must not hang a page
        seen.add(parent_id)
        parent = Site.objects.filter(pk=parent_id).first()
        if parent is None or parent.kind == SiteKind.PLATFORM:
            break
        chain.append(parent)
        parent_id = parent.parent_id
    children = list(
        Site.objects.filter(parent_id=site.pk, status__in=LINKABLE).exclude(kind=SiteKind.PLATFORM).order_by("name")
    )
    ids = [site.pk] + [s.pk for s in chain] + [s.pk for s in children]
    domains = dict(Domain.objects.filter(tenant_id__in=ids, is_primary=True).values_list("tenant_id", "domain"))

    def link(s: Site) -> SiteLink:
        return SiteLink(pk=s.pk, name=s.name, kind=s.kind, domain=domains.get(s.pk, ""))

    ancestors = tuple(link(s) for s in chain if s.status in LINKABLE and domains.get(s.pk))
    listed = sorted(
        (link(s) for s in children if domains.get(s.pk)), key=lambda s: (CHILD_ORDER.get(s.kind, 9), s.name)
    )
    grouped: dict[str, list[SiteLink]] = {}
    for child in listed:
        grouped.setdefault(child.kind, []).append(child)
    return Relations(
        domain=domains.get(site.pk, ""),
        ancestors=ancestors,
        children=tuple(listed),
        children_by_kind=tuple((kind, tuple(links)) for kind, links in grouped.items()),
    )


def relations_for(site: Site) -> Relations:
    """The site's relations from the cache (filled on a miss). Call it while the site's schema is
    current (any public request is), so the entry is the one ``purge_for_change`` deletes."""
    # A connection without schemas (the plain single-site bench project) holds only this site.
    if getattr(connection, "schema_name", site.schema_name) != site.schema_name:  # not where purge looks
        return compute_relations(site)
    key = _key(site.pk)
    relations = cache.get(key)
    if isinstance(relations, Relations):
        return relations
    relations = compute_relations(site)
    cache.set(key, relations, CACHE_SECONDS)
    return relations


def _key(site_id: int) -> str:
    return f"{CACHE_KEY}:{site_id}"


def primary_domain(site: Site) -> str:
    """The site's primary domain without a query when routing already matched it, else cached."""
    matched = getattr(site, "matched_domain", None)
    if matched is not None and matched.is_primary and matched.tenant_id == site.pk:
        return matched.domain
    return relations_for(site).domain


def absolute_url(site: Site, path: str, request: HttpRequest | None = None) -> str:
    """``path`` on the site's primary domain (never the alias the visitor came by)."""
    root = site_root(primary_domain(site), request)
    if root:
        return f"{root}{path}"
    return request.build_absolute_uri(path) if request is not None else path


# --- Purging -------------------------------------------------------------------------------------


def affected_site_ids(site_id: int, change: str) -> set[int]:
    """Whose cached relations may show ``site_id``: itself, its parent (lists it as a child) and its
    descendants (list it in their chain). "updated" may have moved it to another parent, whose old
    parent we cannot know any more: then every site of the cluster is purged (console edits are rare)."""
    if change == "updated":
        return set(Site.objects.values_list("pk", flat=True))
    site = Site.objects.filter(pk=site_id).first()
    if site is None:
        return set()
    affected = {site.pk}
    if site.parent_id:
        affected.add(site.parent_id)
    if change == "created":
        return affected
    frontier = [site.pk]
    while frontier:
        below = set(Site.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)) - affected
        affected |= below
        frontier = list(below)
    return affected


def forget(site_ids: Iterable[int]) -> None:
    """Delete the cached relations of these sites (each under its own schema's key prefix)."""
    rows = Site.objects.filter(pk__in=list(site_ids)).values_list("pk", "schema_name")
    for site_id, schema in rows:
        with schema_context(schema):
            cache.delete(_key(site_id))


def purge_for_change(sender, site_id: int, change: str, **kwargs) -> None:
    """``tenants.events.site_changed`` receiver (connected in ``tenants.apps``)."""
    forget(affected_site_ids(site_id, change))
