"""Flood protection of the public forms: N posts per client address per window, on any site.

Django's cache directly (as ``identity.throttle`` does for logins) rather than django-ratelimit: one
counter shared by every site (keys in the public schema's key space, so an address gets no fresh
budget per site), the client address from ``audit.log.client_ip`` (which honours
ZQ_TRUSTED_PROXIES), and no decorator magic to configure per view. Fixed window: the first post
starts it.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django_tenants.utils import get_public_schema_name, schema_context

from audit.log import client_ip


def post_limit() -> int:
    """Posts allowed per address and window (a person writes one letter, maybe two); 0 = off."""
    return int(getattr(settings, "ZQ_INTERACTION_POSTS_PER_WINDOW", 5))


def window_seconds() -> int:
    return max(1, int(getattr(settings, "ZQ_INTERACTION_WINDOW_SECONDS", 60)))


def _key(address: str, bucket: str) -> str:
    ip = ipaddress.ip_address(address)
    block = ipaddress.ip_network(f"{ip}/64", strict=False) if ip.version == 6 else ip
    return f"interaction:{bucket}:{block}"


def allow(request: HttpRequest, bucket: str = "post", factor: int = 1) -> bool:
    """Count one attempt; False once the address has used up its window (``factor`` times the post
    limit: query-code lookups get more room than posts, but not enough to enumerate codes)."""
    address, limit = client_ip(request), post_limit() * factor
    if address is None or limit <= 0:
        return True
    key = _key(address, bucket)
    with schema_context(get_public_schema_name()):
        cache.add(key, 0, timeout=window_seconds())
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window_seconds())
            count = 1
    return count <= limit
