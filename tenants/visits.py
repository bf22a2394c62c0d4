"""Anonymous page views per site per day: the cheap visit count behind the closure candidates'
"few visitors" evidence (``inspection.visits`` folds it daily into ``SiteVisits``).

Why this shape: the page cache middleware already knows the site, and a cache hit must not get
slower. A view only adds one to a counter in this process's memory (no I/O); every
``ZQ_VISITS_FLUSH_SECONDS`` (5) the process adds what it counted to the shared counters in the cache
(Redis in production) with one ``INCRBY`` per site and day, on the next view after the interval, and
once more when the process exits (gunicorn recycles workers). So at most a few seconds of one
process's views can be lost (a killed process), which does not change a 90-day average. Keys live in
the public schema's key space (the tenant key function would otherwise file them under each site's
schema) and expire after ``KEEP_DAYS``, so a fold missed for a day or two still finds them. Without
Redis (per-process memory cache) each process only sees its own counters: production runs with Redis.

Counted: a ``GET`` answered 200 by a public page of a site (not the admin, documents, media or
static files), from a visitor without a session (editors are not visitors) and not from the
inspection's own probes (``INSPECTION_AGENT``).
"""

from __future__ import annotations

import atexit
import datetime
import logging
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, schema_context

logger = logging.getLogger(__name__)
INSPECTION_AGENT = "ZhanqunInspection/1.0"  # the User-Agent of the inspection's requests: not a visitor
KEEP_DAYS = 4

_lock = threading.Lock()
_pending: dict[tuple[int, datetime.date], int] = {}
_last_flush = time.monotonic()


def key(site_id: int, day: datetime.date) -> str:
    return f"zq:visits:{site_id}:{day:%Y%m%d}"


def is_visitor(request: HttpRequest) -> bool:
    """A visitor's request (the caller knows it is a public page of a site): a GET, no session, not
    the inspection."""
    return (
        settings.ZQ_COUNT_VISITS
        and request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and INSPECTION_AGENT not in request.META.get("HTTP_USER_AGENT", "")
    )


def count(site_id: int, day: datetime.date | None = None) -> None:
    """One page view of ``site_id`` today (local date), kept in memory until the next flush is due."""
    with _lock:
        slot = (site_id, day or timezone.localdate())
        _pending[slot] = _pending.get(slot, 0) + 1
        due = time.monotonic() - _last_flush >= settings.ZQ_VISITS_FLUSH_SECONDS
    if due:
        flush()


def flush() -> None:
    """Add this process's counted views to the shared counters. Best effort: a cache outage costs
    the counts, never a page."""
    global _last_flush
    with _lock:
        pending = dict(_pending)
        _pending.clear()
        _last_flush = time.monotonic()
    try:
        with schema_context(get_public_schema_name()):
            for (site_id, day), views in pending.items():
                name = key(site_id, day)
                try:
                    cache.incr(name, views)
                except ValueError:  # the day's first views (or the key expired)
                    if not cache.add(name, views, KEEP_DAYS * 86400):
                        cache.incr(name, views)  # another process added it in between
    except Exception:  # noqa: BLE001 - see above
        logger.warning("page views not counted: %s", pending, exc_info=True)


atexit.register(flush)


def counted(site_ids: list[int], day: datetime.date) -> dict[int, int]:
    """The views counted so far on ``day`` for these sites (sites without views are left out), this
    process's pending ones included."""
    flush()
    keys = {key(site_id, day): site_id for site_id in site_ids}
    with schema_context(get_public_schema_name()):
        found = cache.get_many(list(keys))
    return {keys[name]: int(value) for name, value in found.items()}
