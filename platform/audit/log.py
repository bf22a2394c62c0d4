"""The one way anything writes to the audit log: ``record(action, actor=..., site=..., obj=...)``."""

from __future__ import annotations

import functools
import ipaddress
import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest

from audit.middleware import current_request
from audit.models import AuditEvent

logger = logging.getLogger(__name__)


def _actor_name(actor: Any) -> str:
    if actor is None:
        return ""
    if isinstance(actor, str):
        return actor
    return getattr(actor, "username", "") or str(actor)


def _current_site():
    """The current tenant when it is a real site; None on the public schema (the platform).

    Inside ``schema_context`` django-tenants only knows the schema name (a FakeTenant without a
    primary key), so the site is looked up by that name."""
    from django_tenants.utils import get_public_schema_name

    from tenants.models import Site

    schema_name = getattr(connection, "schema_name", None)
    if not schema_name or schema_name == get_public_schema_name():
        return None
    tenant = getattr(connection, "tenant", None)
    if isinstance(tenant, Site) and tenant.pk:
        return tenant
    return Site.objects.filter(schema_name=schema_name).first()


IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_ip(value: str) -> IPAddress | None:
    """A valid address, normalised (IPv4-mapped IPv6 as IPv4, no zone id), or None for anything else."""
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return address.ipv4_mapped
        if address.scope_id:
            return ipaddress.IPv6Address(str(address).split("%", 1)[0])
    return address


def parse_networks(entries: Iterable[str] | str) -> tuple[list[IPNetwork], list[str]]:
    """``ZQ_TRUSTED_PROXIES`` entries (IPs or CIDRs) as networks, plus the entries that are neither."""
    if isinstance(entries, str):
        entries = entries.split(",")
    networks, invalid = [], []
    for entry in entries:
        entry = entry.strip()
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            invalid.append(entry)
    return networks, invalid


@functools.lru_cache(maxsize=16)
def _trusted_networks(entries: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    networks, invalid = parse_networks(entries)
    if invalid:  # also reported by the system check (audit.checks) at start-up
        logger.error("ZQ_TRUSTED_PROXIES: ignoring entries that are not IP addresses or networks: %s", invalid)
    return tuple(networks)


def trusted_proxies() -> tuple[IPNetwork, ...]:
    configured = getattr(settings, "ZQ_TRUSTED_PROXIES", ()) or ()
    return _trusted_networks((configured,) if isinstance(configured, str) else tuple(configured))


def _is_trusted(address: IPAddress, networks: tuple[IPNetwork, ...]) -> bool:
    return any(address.version == network.version and address in network for network in networks)


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address: the one function everything (audit rows, login throttling) uses.

    ``X-Forwarded-For`` is anyone's to write, so it counts only when the connection comes from one
    of our proxies (``ZQ_TRUSTED_PROXIES``, default none). Each proxy appends the address it saw, so
    the list is read from the right, past our own proxies, to the first address that is not ours:
    entries left of it may be forged by the client. An entry that is not an IP address ends the
    walk and the last trusted hop is used. An unusable ``REMOTE_ADDR`` gives None, never an error.
    """
    if request is None:
        return None
    remote = parse_ip(request.META.get("REMOTE_ADDR", ""))
    if remote is None:
        return None
    networks = trusted_proxies()
    if not _is_trusted(remote, networks):
        return str(remote)
    closest = remote
    for entry in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        hop = parse_ip(entry)
        if hop is None:
            break
        closest = hop
        if not _is_trusted(hop, networks):
            break
    return str(closest)


def record(
    action: str,
    *,
    actor: Any = None,
    site: Any = None,
    obj: Any = None,
    request: HttpRequest | None = None,
    **details: Any,
) -> AuditEvent:
    """Write one event. ``site`` defaults to the current tenant; ``request`` to the request being
    answered (see ``audit.middleware``), so the row carries the client address; ``actor`` to that
    request's user. Lifecycle call sites need nothing but ``record("provision", site=site)``."""
    if request is None:
        request = current_request()
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            actor = user
    if site is None:
        site = _current_site()
    event = AuditEvent(
        action=action,
        actor_username=_actor_name(actor)[:150],
        site=site,
        ip=client_ip(request),
        details={key: value for key, value in details.items() if value is not None},
    )
    if obj is not None:
        event.object_type = obj._meta.label_lower if hasattr(obj, "_meta") else type(obj).__name__
        event.object_id = str(getattr(obj, "pk", "") or "")
        event.object_repr = str(obj)[:255]
    event.save()
    return event
