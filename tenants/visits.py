"""Anonymous page views per site per day: the cheap visit count behind the closure candidates'
"few visitors" evidence (``inspection.visits`` folds it daily into ``SiteVisits``).

Why a cache counter: the page cache middleware already knows the site, and one ``INCR`` per view
(a single round trip to Redis once the day's key exists) is all it adds to a cache hit; nothing is
written to the database on a page view. Keys live in the public schema's key space (the tenant key
function would otherwise file them under each site's schema) and expire after ``KEEP_DAYS``, so a
fold that was missed for a day or two still finds them. Without Redis (per-process memory cache)
each process counts its own views only: production runs with Redis.

Counted: a ``GET`` answered 200 by a public page of a site (not the admin, documents, media or
static files), from a visitor without a session (editors are not visitors) and not from the
inspection's own probes (``INSPECTION_AGENT``).
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, schema_context

logger = logging.getLogger(__name__)
INSPECTION_AGENT = "ZhanqunInspection/1.0"  # the User-Agent of the inspection's requests: not a visitor
KEEP_DAYS = 4


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
    """One page view of ``site_id`` today (local date). Best effort: a cache outage costs the count,
    never the page."""
    name = key(site_id, day or timezone.localdate())
    try:
        with schema_context(get_public_schema_name()):
            try:
                cache.incr(name)
            except ValueError:  # the day's first view (or the key expired)
                if not cache.add(name, 1, KEEP_DAYS * 86400):
                    cache.incr(name)  # another process added it in between
    except Exception:  # noqa: BLE001 - see above
        logger.warning("page view of site %s not counted", site_id, exc_info=True)


def counted(site_ids: list[int], day: datetime.date) -> dict[int, int]:
    """The views counted so far on ``day`` for these sites (sites without views are left out)."""
    keys = {key(site_id, day): site_id for site_id in site_ids}
    with schema_context(get_public_schema_name()):
        found = cache.get_many(list(keys))
    return {keys[name]: int(value) for name, value in found.items()}
