"""Login throttling by client address: N failed logins per window from one address, on any site.

Account lockout (``identity.login``) stops guessing one person's password; this stops one address
from guessing many people's (password spraying) or probing login names. The counters live in the
Django cache, so with Redis every app process shares them.

Keys are counted in the public schema's key space: the tenant key function prefixes every key
with the current schema, which would give an address a fresh budget on each of the cluster's
sites. An IPv6 client is counted per /64, the block one subscriber usually holds.

A fixed window: the first failure starts it, the cache entry expires with it. A success does not
reset the count, or one valid account would let an address guess at everyone else's.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django_tenants.utils import get_public_schema_name, schema_context

from audit.log import client_ip, record


def failure_limit() -> int:
    """Failures allowed per address and window; 0 turns the throttle off."""
    return int(getattr(settings, "ZQ_LOGIN_THROTTLE_FAILURES", 20))


def window_seconds() -> int:
    return max(1, int(getattr(settings, "ZQ_LOGIN_THROTTLE_SECONDS", 900)))


def _key(address: str) -> str:
    ip = ipaddress.ip_address(address)
    block = ipaddress.ip_network(f"{ip}/64", strict=False) if ip.version == 6 else ip
    return f"identity:login-failures:{block}"


def is_throttled(request: HttpRequest | None) -> bool:
    """True when the request's address has used up its failures for the current window."""
    address = client_ip(request)
    if address is None or failure_limit() <= 0:
        return False
    with schema_context(get_public_schema_name()):
        return int(cache.get(_key(address), 0)) >= failure_limit()


def count_failure(request: HttpRequest | None, username: str) -> None:
    """Count one failed login; the failure that uses up the budget is audited (once per window)."""
    address = client_ip(request)
    limit = failure_limit()
    if address is None or limit <= 0:
        return
    key, window = _key(address), window_seconds()
    with schema_context(get_public_schema_name()):
        cache.add(key, 0, timeout=window)
        try:
            failures = cache.incr(key)
        except ValueError:  # expired between add and incr: this failure opens a new window
            cache.set(key, 1, timeout=window)
            failures = 1
    if failures == limit:
        record("login_throttled", actor=username, request=request, failures=limit, seconds=window)
