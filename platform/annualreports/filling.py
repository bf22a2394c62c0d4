"""What the platform itself knows for the annual reports' ``auto`` rows, counted for one calendar year.

Each figure comes from the data another app already owns: the site's pages (its own schema), the
library items shown on it, 互动交流 (``interaction.stats``), the inspection runs and the site registry.
A page counts in the year of the publish date it shows; a column in the year it was first published.
"""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils import timezone
from django_tenants.utils import schema_context
from inspection.models import InspectionRun, Verdict
from interaction import stats
from interaction.models import Item, ItemKind, Response, Survey
from wagtail.models import Page

from shared_library.models import Resource, ResourceKind
from tenants.addresses import site_url
from tenants.closure.models import LIVE_STATUSES, Closure
from tenants.content.models import ArticlePage, ColumnKind, ColumnPage
from tenants.models import Site, SiteKind
from tenants.services.models import ServiceGuidePage

# Which bucket of the form's 信息发布 rows a page counts in, by its column's kind.
OVERVIEW_KINDS = {ColumnKind.GENERAL}
NEWS_KINDS = {ColumnKind.NEWS, ColumnKind.NOTICES}
DISCLOSURE_KINDS = {ColumnKind.POLICY, ColumnKind.INTERPRETATION, ColumnKind.DISCLOSURE}
# Library resources shown on the site, by kind (guides are services, pictures are not 信息).
LIBRARY_NEWS = {ResourceKind.ARTICLE, ResourceKind.NOTICE}
LIBRARY_DISCLOSURE = {ResourceKind.POLICY, ResourceKind.INTERPRETATION, ResourceKind.FILE}


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _pages(site: Site, year: int) -> dict:
    """Articles by the kind of the column they sit in, topic columns, service guides: in the site's schema."""
    start, end = year_bounds(year)
    with schema_context(site.schema_name):
        columns = list(ColumnPage.objects.live().values("path", "kind", "first_published_at"))
        kind_of = {column["path"]: column["kind"] for column in columns}
        by_kind: dict[str, int] = {}
        for path in ArticlePage.objects.live().filter(publish_date__range=(start, end)).values_list("path", flat=True):
            kind = kind_of.get(path[: -Page.steplen], ColumnKind.GENERAL)
            by_kind[kind] = by_kind.get(kind, 0) + 1
        topics = [c for c in columns if c["kind"] == ColumnKind.GENERAL]
        opened = [_day(c["first_published_at"]) if c["first_published_at"] else None for c in topics]
        guides = ServiceGuidePage.objects.live().filter(
            Q(first_published_at__date__lte=end) | Q(first_published_at=None)
        )
        return {
            "by_kind": by_kind,
            "topics_maintained": sum(1 for day in opened if day is None or day <= end),
            "topics_new": sum(1 for day in opened if day is not None and start <= day <= end),
            "guides": guides.count(),
            "online_guides": guides.exclude(online_url="").count(),
        }


def _day(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def _library(site: Site, year: int) -> dict[str, int]:
    """Public library resources shown on the site (syndicated to it or its own), by kind."""
    start, end = year_bounds(year)
    shown = Resource.objects.public().visible_on(site)
    counts: dict[str, int] = {}
    for kind in shown.filter(publish_date__range=(start, end)).values_list("kind", flat=True):
        counts[kind] = counts.get(kind, 0) + 1
    counts["guides_total"] = shown.filter(kind=ResourceKind.GUIDE, publish_date__lte=end).count()
    return counts


def _security(site: Site, year: int) -> dict:
    """安全检测评估 from the year's inspection runs: each distinct finding is a problem found; one
    absent from the year's last run was fixed."""
    runs = list(InspectionRun.objects.filter(site=site, started__year=year).order_by("started").only("details"))

    def keys(run):
        return {(f.get("indicator"), f.get("url"), f.get("message")) for f in run.findings}

    found = set().union(*(keys(run) for run in runs)) if runs else set()
    still_open = keys(runs[-1]) if runs else set()
    return {
        "security_checks": len(runs),
        "security_issues": len(found),
        "security_fixed": len(found - still_open),
        "security_monitoring": bool(runs),
    }


def _interaction(site: Site, year: int) -> dict:
    start, end = year_bounds(year)
    letters = stats.figures(site, start, end, kind=ItemKind.LETTER)
    surveys = Survey.objects.filter(site=site, starts_on__range=(start, end))
    return {
        "unified_platform": True,  # 互动交流 runs on the cluster's one platform
        "messages_received": letters.received,
        "messages_answered": letters.answered,
        "messages_avg_days": letters.average_days,
        "messages_published": Item.objects.filter(
            site=site, kind=ItemKind.LETTER, received_at__date__range=(start, end), is_published=True
        ).count(),
        "surveys": surveys.count(),
        "survey_opinions": Response.objects.filter(survey__site=site, created_at__date__range=(start, end)).count(),
        "survey_results": surveys.filter(publish_results=True, ends_on__lt=timezone.localdate()).count(),
    }


def site_figures(site: Site, year: int) -> dict:
    """Every ``auto`` row of the site form for ``year``."""
    pages = _pages(site, year)
    library = _library(site, year)
    by_kind = pages["by_kind"]

    def own(kinds):
        return sum(by_kind.get(kind, 0) for kind in kinds)

    def shared(kinds):
        return sum(library.get(kind, 0) for kind in kinds)

    overview = own(OVERVIEW_KINDS)
    news = own(NEWS_KINDS) + shared(LIBRARY_NEWS)
    disclosure = own(DISCLOSURE_KINDS) + shared(LIBRARY_DISCLOSURE)
    services = pages["guides"] + library["guides_total"]
    return {
        "site_name": site.name,
        "home_url": site_url(site),
        "organiser": site.organiser,
        "site_type": "部门网站" if site.kind == SiteKind.DEPARTMENT else "政府门户网站",
        "site_code": site.site_code,
        "icp_number": site.icp_number,
        "police_number": site.police_number,
        "info_total": overview + news + disclosure,
        "info_overview": overview,
        "info_news": news,
        "info_disclosure": disclosure,
        "topics_maintained": pages["topics_maintained"],
        "topics_new": pages["topics_new"],
        "interpretation_materials": own({ColumnKind.INTERPRETATION}) + shared({ResourceKind.INTERPRETATION}),
        "service_catalogue": services > 0,
        "service_items": services,
        "online_items": pages["online_guides"],
        **_interaction(site, year),
        **_security(site, year),
        "filled_on": timezone.localdate().isoformat(),
    }


def operator_figures(year: int) -> dict:
    """Every ``auto`` row of the operator's form for ``year``, over the whole cluster."""
    start, end = year_bounds(year)
    sites = Site.objects.exclude(kind=SiteKind.PLATFORM)
    runs = InspectionRun.objects.filter(started__year=year)
    inspected = set(runs.values_list("site_id", flat=True).distinct())
    failing = set(runs.filter(verdict=Verdict.FAIL).values_list("site_id", flat=True).distinct())
    errors = stats.figures(None, start, end, kind=ItemKind.ERROR)
    passed = len(inspected) - len(failing)
    return {
        "sites_running": sites.filter(created_at__date__lte=end)
        .filter(Q(closed_at=None) | Q(closed_at__date__gt=end))
        .count(),
        "sites_opened": sites.filter(created_at__date__range=(start, end)).count(),
        "sites_merged": Closure.objects.filter(status__in=LIVE_STATUSES, executed_at__date__range=(start, end)).count(),
        "sites_closed": sites.filter(closed_at__date__range=(start, end)).count(),
        "spot_runs": runs.count(),
        "spot_sites": len(inspected),
        "spot_failing": len(failing),
        "spot_pass_rate": f"{100 * passed / len(inspected):.1f}%" if inspected else "—",
        "errors_received": errors.received,
        "errors_handled": errors.answered,
        "errors_on_time": errors.on_time,
        "errors_rate": f"{100 * errors.on_time / errors.received:.1f}%" if errors.received else "—",
        "filled_on": timezone.localdate().isoformat(),
    }
