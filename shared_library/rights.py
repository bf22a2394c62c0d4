"""Who may do what in the library: decided here once, for every screen, service and command.

An :class:`Actor` is one person acting from one place: the platform console (``site`` is ``None``)
or a site, in one role. The rules:

* platform operators (the console, public schema) see every resource and syndicate anywhere;
* a site editor (站点编辑) sees published resources plus the drafts of their own site and of the
  sites directly below it (the ones they review), and syndicates onto their own site and every site
  below it (children, grandchildren);
* a submitter (信息报送员), and anybody acting from a township site, syndicates nowhere: townships
  contribute and submit for review, the county decides what is shown where;
* removing a syndication takes the same right as making it; editing, publishing, withdrawing and
  deleting take ownership (:func:`owns`).

Drafts reach one level down because that is who reviews them (a county approves its townships'
submissions); syndication reaches the whole subtree because a portal speaks for its whole region.

Services accept a plain username too (``by="ops"`` from commands, the demo and tests): that is trusted
code acting as the editor of the given site, or as an operator when the site is the platform.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tenants.utils import get_public_schema_name

from console.access import is_operator
from shared_library.models import Resource, ResourceStatus
from tenants.content.skeleton import ROLE_GROUPS
from tenants.models import Site, SiteKind, SiteStatus

CURRENT: Any = object()  # sentinel: "the site of the current connection"

OPERATOR = "operator"
EDITOR = "editor"
SUBMITTER = "submitter"
NO_ROLE = "none"

NO_SYNDICATION_MESSAGE = gettext_lazy("信息报送员和乡镇（街道）站点不能转载资源，请联系上级站点编辑。")

SITE_EDITOR_GROUP = ROLE_GROUPS["Moderators"]
SUBMITTER_GROUP = ROLE_GROUPS["Editors"]  # also the prefix of the per-column submitter groups


def acting_site(site: Site | None = CURRENT) -> Site | None:
    """The contributing site: the given one, else the current tenant; the platform is ``None``."""
    if site is CURRENT:
        site = getattr(connection, "tenant", None)
    if site is None or getattr(site, "schema_name", "public") == "public" or site.kind == SiteKind.PLATFORM:
        return None
    return site


@dataclass(frozen=True)
class Actor:
    """A person acting in the library: name, the site they act from (``None``: the console) and role.

    ``request`` rides along so the audit log can record the client's address."""

    username: str
    site: Site | None
    role: str
    request: HttpRequest | None = field(default=None, compare=False, repr=False)

    @property
    def is_operator(self) -> bool:
        return self.role == OPERATOR and self.site is None

    @property
    def is_site_editor(self) -> bool:
        return self.role == EDITOR and self.site is not None

    @classmethod
    def from_request(cls, request: HttpRequest) -> Actor:
        """The person behind an admin request, on the request's own site (cached on the request)."""
        cached = getattr(request, "_library_actor", None)
        if cached is not None:
            return cached
        user = getattr(request, "user", None)
        site = acting_site(getattr(request, "tenant", CURRENT))
        if connection.schema_name == get_public_schema_name():
            role = OPERATOR if is_operator(user) else NO_ROLE
            site = None
        else:
            role = site_role(user)
        actor = cls(username=user.get_username() if user is not None else "", site=site, role=role, request=request)
        request._library_actor = actor
        return actor


def site_role(user) -> str:
    """A site user's role from their groups on the current site schema. A site-schema superuser
    (``createsuperuser`` on one site) is that site's editor, never a platform operator."""
    if not (user is not None and user.is_authenticated and user.is_active):
        return NO_ROLE
    if user.is_superuser:
        return EDITOR
    names = list(user.groups.values_list("name", flat=True))
    if SITE_EDITOR_GROUP in names:
        return EDITOR
    if any(name.startswith(SUBMITTER_GROUP) for name in names):
        return SUBMITTER
    return NO_ROLE


def as_actor(by: Actor | str, site: Site | None = CURRENT) -> Actor:
    """An Actor as given, or trusted code's ``by`` username acting as editor of ``site`` (or as
    operator when ``site`` is the platform)."""
    if isinstance(by, Actor):
        return by
    site = acting_site(site)
    return Actor(username=by or "", site=site, role=OPERATOR if site is None else EDITOR)


# --- Which resources a person sees and owns ----------------------------------------------------


def owned_q(site: Site) -> Q:
    """Resources a site owns: contributed by it or by a site directly below it (which it reviews).
    The same rule as :func:`owns`, as a query."""
    return Q(source_site=site) | Q(source_site__parent=site)


def owns(actor: Actor, resource: Resource) -> bool:
    if actor.is_operator:
        return True
    if actor.site is None:
        return False
    source = resource.source_site
    return source is not None and (source.pk == actor.site.pk or source.parent_id == actor.site.pk)


def scope_resources(queryset: QuerySet[Resource], actor: Actor) -> QuerySet[Resource]:
    """What of ``queryset`` the person may see in the library's admin screens."""
    if actor.is_operator:
        return queryset
    published = Q(status=ResourceStatus.PUBLISHED)
    if actor.is_site_editor:
        return queryset.filter(published | owned_q(actor.site))
    return queryset.filter(published)


def visible_resources(actor: Actor) -> QuerySet[Resource]:
    return scope_resources(Resource.objects.all(), actor)


def can_contribute(actor: Actor) -> bool:
    """Writing to the library at all: operators and site editors (township editors submit only)."""
    return actor.is_operator or actor.is_site_editor


def check_can_contribute(actor: Actor) -> None:
    if not can_contribute(actor):
        raise PermissionDenied(_("只有站点编辑和平台运维人员可以维护资源库。"))


# --- Syndication: who may push where ---------------------------------------------------------


def may_syndicate(actor: Actor) -> bool:
    if actor.is_operator:
        return True
    return actor.is_site_editor and actor.site.kind != SiteKind.TOWNSHIP


def subtree_ids(site: Site) -> set[int]:
    """The site and every site below it, however deep."""
    ids = {site.pk}
    frontier = {site.pk}
    while frontier:
        frontier = set(Site.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)) - ids
        ids |= frontier
    return ids


def syndication_targets(actor: Actor) -> QuerySet[Site]:
    """Sites the person may syndicate to, or remove syndications from (the same right)."""
    sites = (
        Site.objects.exclude(schema_name=get_public_schema_name())
        .exclude(kind=SiteKind.PLATFORM)
        .exclude(status=SiteStatus.CLOSED)
    )
    if actor.is_operator:
        return sites
    if not may_syndicate(actor):
        return sites.none()
    return sites.filter(pk__in=subtree_ids(actor.site))


def check_can_syndicate(actor: Actor, sites: Iterable[Site]) -> None:
    """Refuse the whole request, naming every site it may not touch."""
    if not may_syndicate(actor):
        raise PermissionDenied(NO_SYNDICATION_MESSAGE)
    sites = list(sites)
    allowed = set(syndication_targets(actor).filter(pk__in=[s.pk for s in sites]).values_list("pk", flat=True))
    refused = [site.name for site in sites if site.pk not in allowed]
    if refused:
        raise PermissionDenied(
            _("无权管理这些站点的转载：%(sites)s。站点编辑只能转载到本站点及下级站点。") % {"sites": "、".join(refused)}
        )
