"""Flood protection of the public forms: N posts per client address per window, on any site.

The cluster's per-address counters (``zhanqun.lib.address_counters``, as the login throttle uses)
rather than django-ratelimit: one counter shared by every site, so an address gets no fresh budget
per site, the client address from ``audit.log.client_ip`` (which honours ZQ_TRUSTED_PROXIES), and no
decorator magic to configure per view.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from audit.log import client_ip
from zhanqun.lib import address_counters


def post_limit() -> int:
    """Posts allowed per address and window (a person writes one letter, maybe two); 0 = off."""
    return int(getattr(settings, "ZQ_INTERACTION_POSTS_PER_WINDOW", 5))


def window_seconds() -> int:
    return max(1, int(getattr(settings, "ZQ_INTERACTION_WINDOW_SECONDS", 60)))


def allow(request: HttpRequest, bucket: str = "post", factor: int = 1) -> bool:
    """Count one attempt; False once the address has used up its window (``factor`` times the post
    limit: query-code lookups get more room than posts, but not enough to enumerate codes)."""
    address, limit = client_ip(request), post_limit() * factor
    if address is None or limit <= 0:
        return True
    return address_counters.count(f"interaction:{bucket}", address, window_seconds()) <= limit
