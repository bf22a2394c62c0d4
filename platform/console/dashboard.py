"""The cluster dashboard's numbers, all from public-schema tables (sites, closures, the stats table
and the audit log): a handful of aggregate queries whatever the number of sites."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from console.models import SiteStats
from tenants.closure.models import Closure
from tenants.models import Site, SiteKind, SiteStatus

MONTHS = 12


@dataclass
class Dashboard:
    total: int
    by_kind: list[dict]  # [{"key", "label", "count"}]
    by_status: list[dict]
    matrix: list[dict]  # per kind: {"label", "counts": [per status]}
    timeline: dict  # {"labels", "created", "closing", "closed"}
    pending_total: int
    pending: list[dict]  # [{"site", "pk", "count"}]
    freshness: list[dict]  # [{"label", "count"}]
    stale_days: int
    stalest: list[Site]
    recent: list[AuditEvent]

    def charts(self) -> dict:
        """What the charts draw, for ``json_script``."""
        return {
            "series": {
                "sites": _("站点数"),
                "created": _("新建"),
                "closing": _("发起关停"),
                "closed": _("已关停"),
                "pending": _("待审核"),
            },  # fmt: skip
            "kind": {"labels": [row["label"] for row in self.by_kind], "data": [row["count"] for row in self.by_kind]},
            "status": {
                "labels": [row["label"] for row in self.by_status],
                "data": [row["count"] for row in self.by_status],
            },
            "timeline": self.timeline,
            "pending": {
                "labels": [row["site"] for row in self.pending],
                "data": [row["count"] for row in self.pending],
            },
            "freshness": {
                "labels": [row["label"] for row in self.freshness],
                "data": [row["count"] for row in self.freshness],
            },
        }


def real_sites():
    """Every site except the platform's own row."""
    return Site.objects.exclude(kind=SiteKind.PLATFORM)


def _month_starts(today: datetime.date, months: int) -> list[datetime.date]:
    first = today.replace(day=1)
    starts = []
    for _index in range(months):
        starts.append(first)
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    return list(reversed(starts))


def _per_month(queryset, field: str, since: datetime.datetime) -> dict[str, int]:
    rows = (
        queryset.filter(**{f"{field}__gte": since})
        .annotate(month=TruncMonth(field))
        .values("month")
        .annotate(n=Count("pk"))
    )
    return {row["month"].strftime("%Y-%m"): row["n"] for row in rows}


def timeline(months: int = MONTHS) -> dict:
    starts = _month_starts(timezone.localdate(), months)
    since = timezone.make_aware(datetime.datetime.combine(starts[0], datetime.time()))
    created = _per_month(real_sites(), "created_at", since)
    closing = _per_month(Closure.objects.all(), "created_at", since)
    closed = _per_month(real_sites(), "closed_at", since)
    labels = [start.strftime("%Y-%m") for start in starts]
    return {
        "labels": labels,
        "created": [created.get(label, 0) for label in labels],
        "closing": [closing.get(label, 0) for label in labels],
        "closed": [closed.get(label, 0) for label in labels],
    }


def build(recent: int = 12, top: int = 10) -> Dashboard:
    kinds = [choice for choice in SiteKind if choice != SiteKind.PLATFORM]
    counts = {
        (row["kind"], row["status"]): row["n"] for row in real_sites().values("kind", "status").annotate(n=Count("pk"))
    }
    by_kind = [
        {"key": kind.value, "label": str(kind.label), "count": sum(n for (k, _s), n in counts.items() if k == kind)}
        for kind in kinds
    ]
    by_status = [
        {
            "key": status.value,
            "label": str(status.label),
            "count": sum(n for (_k, s), n in counts.items() if s == status),
        }
        for status in SiteStatus
    ]
    matrix = [{"label": str(kind.label), "counts": [counts.get((kind, status), 0) for status in SiteStatus]}
              for kind in kinds]  # fmt: skip

    live = SiteStats.objects.filter(site__status__in=[SiteStatus.ACTIVE, SiteStatus.SUSPENDED]).exclude(
        site__kind=SiteKind.PLATFORM
    )
    pending_rows = live.filter(pending_reviews__gt=0).order_by("-pending_reviews", "site__name")
    pending = [
        {"site": row["site__name"], "pk": row["site_id"], "count": row["pending_reviews"]}
        for row in pending_rows.values("site__name", "site_id", "pending_reviews")[:top]
    ]
    pending_total = live.aggregate(total=Sum("pending_reviews"))["total"] or 0

    stale_days = settings.ZQ_STALE_DAYS
    now = timezone.now()
    week, stale = now - datetime.timedelta(days=7), now - datetime.timedelta(days=stale_days)
    running = real_sites().filter(status=SiteStatus.ACTIVE)
    buckets = running.aggregate(
        fresh=Count("pk", filter=Q(stats__last_published_at__gte=week)),
        recent=Count("pk", filter=Q(stats__last_published_at__lt=week, stats__last_published_at__gte=stale)),
        stale=Count("pk", filter=Q(stats__last_published_at__lt=stale)),
        never=Count("pk", filter=Q(stats__last_published_at=None)),
    )
    freshness = [
        {"label": _("7天内"), "count": buckets["fresh"]},
        {"label": _("8–%(days)s天") % {"days": stale_days}, "count": buckets["recent"]},
        {"label": _("超过%(days)s天") % {"days": stale_days}, "count": buckets["stale"]},
        {"label": _("未统计或从未发布"), "count": buckets["never"]},
    ]
    stalest = list(
        running.select_related("stats").order_by(F("stats__last_published_at").asc(nulls_first=True), "name")[:top]
    )
    return Dashboard(
        total=sum(row["count"] for row in by_kind),
        by_kind=by_kind,
        by_status=by_status,
        matrix=matrix,
        timeline=timeline(),
        pending_total=pending_total,
        pending=pending,
        freshness=freshness,
        stale_days=stale_days,
        stalest=stalest,
        recent=list(AuditEvent.objects.select_related("site").order_by("-at", "-pk")[:recent]),
    )
