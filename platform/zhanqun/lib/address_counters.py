"""Counters per client address, shared by every site of the cluster: the login throttle
(``identity.throttle``) and the public forms' flood limit (``interaction.ratelimit``).

Keys are counted in the public schema's key space: the tenant key function prefixes every key with
the current schema, which would give an address a fresh budget on each of the cluster's sites. An
IPv6 client is counted per /64, the block one subscriber usually holds. Fixed windows: the first hit
starts one, the cache entry expires with it (with Redis every app process shares the counters).
"""

from __future__ import annotations

import ipaddress

from django.core.cache import cache
from django_tenants.utils import get_public_schema_name, schema_context


def _key(name: str, address: str) -> str:
    ip = ipaddress.ip_address(address)
    block = ipaddress.ip_network(f"{ip}/64", strict=False) if ip.version == 6 else ip
    return f"{name}:{block}"


def count(name: str, address: str, window_seconds: int) -> int:
    """Count one hit for ``address`` under ``name``; the number of hits in the current window."""
    key = _key(name, address)
    with schema_context(get_public_schema_name()):
        cache.add(key, 0, timeout=window_seconds)
        try:
            return cache.incr(key)
        except ValueError:  # expired between add and incr: this hit opens a new window
            cache.set(key, 1, timeout=window_seconds)
            return 1


def current(name: str, address: str) -> int:
    """Hits counted for ``address`` under ``name`` in the current window (0 when none)."""
    with schema_context(get_public_schema_name()):
        return int(cache.get(_key(name, address), 0))
