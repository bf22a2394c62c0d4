"""Login throttling by client address: N failed logins per window from one address, on any site.

Account lockout (``identity.login``) stops guessing one person's password; this stops one address
from guessing many people's (password spraying) or probing login names. The counters live in the
Django cache, so with Redis every app process shares them.

The counters are ``zhanqun.lib.address_counters`` (cluster-wide, per IPv6 /64, fixed windows). A
success does not reset the count, or one valid account would let an address guess at everyone else's.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from audit.log import client_ip, record
from zhanqun.lib import address_counters

COUNTER = "identity:login-failures"


def failure_limit() -> int:
    """Failures allowed per address and window; 0 turns the throttle off."""
    return int(getattr(settings, "ZQ_LOGIN_THROTTLE_FAILURES", 20))


def window_seconds() -> int:
    return max(1, int(getattr(settings, "ZQ_LOGIN_THROTTLE_SECONDS", 900)))


def is_throttled(request: HttpRequest | None) -> bool:
    """True when the request's address has used up its failures for the current window."""
    address = client_ip(request)
    if address is None or failure_limit() <= 0:
        return False
    return address_counters.current(COUNTER, address) >= failure_limit()


def count_failure(request: HttpRequest | None, username: str) -> None:
    """Count one failed login; the failure that uses up the budget is audited (once per window)."""
    address = client_ip(request)
    limit = failure_limit()
    if address is None or limit <= 0:
        return
    window = window_seconds()
    failures = address_counters.count(COUNTER, address, window)
    if failures == limit:
        record("login_throttled", actor=username, request=request, failures=limit, seconds=window)
