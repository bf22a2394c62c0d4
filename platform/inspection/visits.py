"""Visits as closure evidence: the daily fold of the page view counters (``tenants.visits``) into
``SiteVisits``, and a site's average daily views over a window.

The fold writes each day's running total (an upsert), so folding a day again, or a day that is
still going on, is harmless; it looks back ``FOLD_DAYS`` days so a missed run loses nothing while
the counters are still kept (``tenants.visits.KEEP_DAYS``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Min, Sum
from django.utils import timezone

from inspection.models import SiteVisits
from tenants import visits
from tenants.models import Site

FOLD_DAYS = visits.KEEP_DAYS - 1


def fold(today: datetime.date | None = None) -> int:
    """Copy the last ``FOLD_DAYS`` days' counters of every site into ``SiteVisits``; rows written."""
    today = today or timezone.localdate()
    site_ids = list(Site.objects.exclude(schema_name="public").values_list("pk", flat=True))
    rows = []
    for offset in range(FOLD_DAYS):
        day = today - datetime.timedelta(days=offset)
        rows += [SiteVisits(site_id=pk, day=day, views=views) for pk, views in visits.counted(site_ids, day).items()]
    SiteVisits.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["site", "day"], update_fields=["views"], batch_size=1000
    )
    return len(rows)


@dataclass(frozen=True)
class DailyViews:
    days: int
    total: int

    @property
    def average(self) -> float:
        return self.total / self.days


def counting_since() -> datetime.date | None:
    """The first day any view was folded: before it the platform did not count."""
    return SiteVisits.objects.aggregate(first=Min("day"))["first"]


def daily_views(site: Site, days: int, today: datetime.date, since: datetime.date | None) -> DailyViews | None:
    """Views over the ``days`` full days before ``today``; None when the count does not cover them
    (counting started on ``since``, see ``counting_since``, or later; or the site is younger), so a
    new site or a newly installed count is not mistaken for an unvisited site."""
    start = today - datetime.timedelta(days=days)
    if since is None or since > start or timezone.localtime(site.created_at).date() > start:
        return None
    total = SiteVisits.objects.filter(site=site, day__gte=start, day__lt=today).aggregate(total=Sum("views"))["total"]
    return DailyViews(days=days, total=total or 0)
