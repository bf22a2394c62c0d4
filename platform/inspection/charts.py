"""What the console's 网站普查 charts draw, computed once from the rows the screen already holds
(each site's latest run) plus the daily trend. The same numbers feed the tables beside the charts
(their text alternative), so a chart never says something the table does not."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from inspection.checks import VETO
from inspection.models import InspectionRun, Verdict
from tenants.models import Site

Row = tuple[Site, InspectionRun | None]


@dataclass
class Indicator:
    key: str
    title: str
    vetoes: int  # sites failing it (单项否决)
    points: int  # points it cost all sites together (deductions)
    sites: int  # sites with at least one finding of it


def filter_rows(rows: list[Row], *, verdict: str = "", parent: int | None = None, kind: str = "") -> list[Row]:
    """The screen's filters: a verdict (``pass``/``fail``/``none`` = never inspected), a parent site
    (its children and itself) and a site kind (county, township …)."""
    kept = []
    for site, run in rows:
        if verdict == "none" and run is not None:
            continue
        if verdict in (Verdict.PASS, Verdict.FAIL) and (run is None or run.verdict != verdict):
            continue
        if parent and parent not in (site.pk, site.parent_id):
            continue
        if kind and site.kind != kind:
            continue
        kept.append((site, run))
    return kept


def indicators(rows: list[Row]) -> list[Indicator]:
    """Every indicator found in the latest runs, worst first: most sites vetoed, then most points lost."""
    titles: dict[str, str] = {}
    vetoes: Counter[str] = Counter()
    points: Counter[str] = Counter()
    sites: defaultdict[str, set[int]] = defaultdict(set)
    for site, run in rows:
        if run is None:
            continue
        for finding in run.findings:
            key = finding["indicator"]
            titles.setdefault(key, finding["title"])
            sites[key].add(site.pk)
            if finding["severity"] != VETO:
                points[key] += finding.get("points", 0)
        for key in run.failing:  # once per site, however many findings of it
            vetoes[key] += 1
    found = [Indicator(key, titles.get(key, key), vetoes[key], points[key], len(sites[key])) for key in titles]
    return sorted(found, key=lambda i: (-i.vetoes, -i.points, -i.sites, i.key))


def score_buckets(rows: list[Row]) -> list[tuple[str, int]]:
    """Sites per score band; the band below the pass mark (``ZQ_INSPECT_PASS_SCORE``) first."""
    passing = settings.ZQ_INSPECT_PASS_SCORE
    bands = [(0, passing - 1)] + [(low, min(low + 9, 100)) for low in range(passing, 101, 10)]
    if bands[-1][0] == 100 and len(bands) > 1:  # 100 joins the 90s band, as the national form counts it
        bands.pop()
        bands[-1] = (bands[-1][0], 100)
    counts = [0] * len(bands)
    for _site, run in rows:
        if run is None:
            continue
        for index, (low, high) in enumerate(bands):
            if low <= run.score <= high:
                counts[index] += 1
                break
    return [(f"{low}–{high}", count) for (low, high), count in zip(bands, counts, strict=True)]


def chart_data(trend: list[tuple[datetime.date, int, int]], found: list[Indicator], buckets) -> dict:
    """Everything the charts draw, for ``json_script`` (oldest day first, the 10 worst indicators)."""
    days = list(reversed(trend))
    worst = found[:10]
    return {
        "series": {
            "inspected": _("检查站点数"),
            "failed": _("不合格站点数"),
            "vetoes": _("单项否决站点数"),
            "points": _("扣分合计"),
            "sites": _("站点数"),
        },  # fmt: skip
        "trend": {
            "labels": [day.isoformat() for day, _i, _f in days],
            "inspected": [inspected for _d, inspected, _f in days],
            "failed": [failed for _d, _i, failed in days],
        },
        "indicators": {
            "labels": [i.title for i in worst],
            "vetoes": [i.vetoes for i in worst],
            "points": [i.points for i in worst],
        },
        "scores": {"labels": [label for label, _n in buckets], "data": [n for _label, n in buckets]},
    }
