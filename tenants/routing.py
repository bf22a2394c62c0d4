"""Host routing lookups, cached: which site a host names, and which Wagtail site serves it.

Every public request used to pay two lookups before any page was read: the ``Domain`` row for the
host (public schema) and Wagtail's ``Site.find_for_request`` (the site's schema). Both answers change
only when an operator changes a site or its domains, or an editor changes the site root, so one cache
entry per host holds both: the ``Domain`` row (with its site) and the Wagtail site per port.

Entries live ``ZQ_ROUTING_CACHE_SECONDS`` and are deleted the moment anything they were read from
changes: ``tenants.events.site_changed`` (any change), saves and deletions of ``Site`` and ``Domain``
rows (a removed or renamed domain stops routing at once), and saves of Wagtail sites and of pages at
the top of a site's tree (``tenants.routing_receivers``). The cache must be shared by every process
(Redis) for that to hold across processes, so the default is off without ``REDIS_URL``.

Known window: a request that read the database just before a change committed can store the old
answer just after the receivers deleted it; that entry lives at most ``ZQ_ROUTING_CACHE_SECONDS``.
(Keep the setting short if that matters more than one query per request; the page cache has no such
window, see ``tenants.pagecache.store``.)

Keys are made in the public schema (the cache's key function prefixes the current schema), so every
process and every schema context finds the same entry.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django_tenants.utils import get_public_schema_name, schema_context
from wagtail.models import Site as WagtailSite
from wagtail.models.sites import get_site_for_hostname

from tenants.lib.hostnames import www_twin
from tenants.models import Domain

_KEY = "zq:route:{host}"


def enabled() -> bool:
    return settings.ZQ_ROUTING_CACHE_SECONDS > 0


def _key(host: str) -> str:
    return _KEY.format(host=host)


def cached_entry(host: str) -> dict | None:
    """The cached ``{"domain": Domain (with .tenant), "wagtail": {port: Site|None}}`` for ``host``.

    Called by routing while the connection is on the public schema."""
    if not enabled():
        return None
    return cache.get(_key(host))


def remember(host: str, entry: dict) -> None:
    if enabled():
        with schema_context(get_public_schema_name()):
            cache.set(_key(host), entry, settings.ZQ_ROUTING_CACHE_SECONDS)


def wagtail_site(request, host: str, entry: dict | None):
    """Wagtail's site for this request (what ``Site.find_for_request`` would find), from the entry
    when known; looked up in the current (site) schema and added to the entry otherwise."""
    port = request.get_port()
    if entry is not None and port in entry["wagtail"]:
        return entry["wagtail"][port]
    try:
        site = get_site_for_hostname(host, port)
    except WagtailSite.DoesNotExist:
        site = None
    if entry is not None:
        entry["wagtail"][port] = site
        remember(host, entry)
    return site


def host_keys(hosts: Iterable[str]) -> list[str]:
    """The keys of ``hosts`` and of their ``www.`` twins (routing falls back from www.x to x)."""
    names = set()
    for host in hosts:
        if host:
            names.update({host, www_twin(host)})
    return [_key(host) for host in sorted(names)]


def forget_hosts(hosts: Iterable[str]) -> None:
    if enabled():
        with schema_context(get_public_schema_name()):
            cache.delete_many(host_keys(hosts))


def forget_site(site_id: int, extra_hosts: Iterable[str] = ()) -> None:
    """Drop every cached route to ``site_id`` (all its domains), plus ``extra_hosts``."""
    if not enabled():
        return
    with schema_context(get_public_schema_name()):
        hosts = list(Domain.objects.filter(tenant_id=site_id).values_list("domain", flat=True))
        cache.delete_many(host_keys([*hosts, *extra_hosts]))
