"""What the screens show: the cluster table (each site's latest run), a site's history, and the
closure candidates with their evidence. One place, so the console and the editors' panel agree."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from inspection import visits
from inspection.models import InspectionRun, Verdict
from inspection.services import inspectable_sites
from tenants.models import Site


def latest_runs() -> list[tuple[Site, InspectionRun | None]]:
    """Every site held to the national rules (running: closing, closed and suspended sites are not
    inspected, so they are not listed as 尚未普查) with its latest run, failing sites first."""
    newest = InspectionRun.objects.filter(site=OuterRef("pk")).order_by("-started").values("pk")[:1]
    sites = list(inspectable_sites().annotate(last_run=Subquery(newest)).order_by("name"))
    runs = InspectionRun.objects.in_bulk([site.last_run for site in sites if site.last_run])
    rows = [(site, runs.get(site.last_run)) for site in sites]
    rows.sort(key=lambda row: (row[1] is None, row[1] is not None and row[1].verdict == Verdict.PASS))
    return rows


def latest_run(site: Site) -> InspectionRun | None:
    return InspectionRun.objects.filter(site=site).order_by("-started").first()


def history(site: Site, limit: int = 100) -> list[InspectionRun]:
    return list(InspectionRun.objects.filter(site=site).order_by("-started")[:limit])


def trend(days: int = 14, site_ids: list[int] | None = None) -> list[tuple[datetime.date, int, int]]:
    """Per day of the last ``days``: sites inspected and sites that failed at least once that day
    (of ``site_ids`` only, when given: the console's filters)."""
    since = timezone.now() - datetime.timedelta(days=days)
    runs = InspectionRun.objects.filter(started__gte=since)
    if site_ids is not None:
        runs = runs.filter(site_id__in=site_ids)
    rows = (
        runs.annotate(day=TruncDate("started"))
        .values("day")
        .annotate(
            inspected=Count("site", distinct=True),
            failed=Count("site", distinct=True, filter=Q(verdict=Verdict.FAIL)),
        )
        .order_by("-day")
    )
    return [(row["day"], row["inspected"], row["failed"]) for row in rows]


@dataclass
class Candidate:
    site: Site
    reasons: list[str]
    last_run: InspectionRun


def closure_candidates(today: datetime.date | None = None) -> list[Candidate]:
    """Running sites that failed each of their last N runs, whose newest item is older than the idle
    limit (evidence from the runs themselves), or whose visitors over the last days averaged fewer
    than the minimum a day (``inspection.visits``; only once the count covers those days)."""
    today = today or timezone.localdate()
    limit = settings.ZQ_INSPECT_CLOSURE_FAILED_RUNS
    idle_days = settings.ZQ_INSPECT_CLOSURE_IDLE_DAYS
    counted_since = visits.counting_since()
    candidates = []
    for site, run in latest_runs():
        if run is None:
            continue
        reasons = []
        recent = list(InspectionRun.objects.filter(site=site).order_by("-started")[:limit])
        if len(recent) >= limit and all(r.verdict == Verdict.FAIL for r in recent):
            items = "、".join(sorted({f["title"] for r in recent for f in r.findings if f["severity"] == "veto"}))
            reasons.append(_("最近%(n)d次普查均不合格（%(items)s）") % {"n": limit, "items": items or _("得分不足")})
        newest = run.details.get("newest_item")
        if newest is None:
            reasons.append(_("站点没有任何已发布的信息"))
        elif (today - datetime.date.fromisoformat(newest)).days > idle_days:
            reasons.append(
                _("最近一条信息发布于%(date)s，已超过%(days)d天未更新") % {"date": newest, "days": idle_days}
            )
        views = visits.daily_views(site, settings.ZQ_INSPECT_CLOSURE_VISITS_DAYS, today, counted_since)
        if views is not None and views.average < settings.ZQ_INSPECT_CLOSURE_MIN_DAILY_VISITS:
            reasons.append(
                _("近%(days)d天日均访问量%(average).1f次，低于%(minimum)s次（共%(total)d次）")
                % {
                    "days": views.days,
                    "average": views.average,
                    "minimum": f"{settings.ZQ_INSPECT_CLOSURE_MIN_DAILY_VISITS:g}",
                    "total": views.total,
                }
            )
        if reasons:
            candidates.append(Candidate(site=site, reasons=reasons, last_run=run))
    return candidates
