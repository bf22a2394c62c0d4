"""The scheduled inspection (``jobs.scheduler``): every site probed and checked about 20 times a day,
as the national spot check watches a site, without anyone running a command; the external links'
own cluster-wide pass (``inspection.external``); and the daily fold of the visit counters."""

from __future__ import annotations

import datetime

from django.conf import settings

from inspection import external, visits
from inspection.services import inspect_sites, inspectable_sites
from jobs.scheduler import register


@register("inspection", every=datetime.timedelta(hours=settings.ZQ_INSPECT_EVERY_HOURS), title="网站普查")
def inspection() -> str:
    runs = inspect_sites(inspectable_sites())
    failed = sum(1 for run in runs if run.verdict == "fail")
    return f"已检查 {len(runs)} 个站点，不合格 {failed} 个"


@register(
    "inspection_external_links",
    every=datetime.timedelta(hours=settings.ZQ_INSPECT_EXTERNAL_EVERY_HOURS),
    title="外部链接检查",
)
def external_links() -> str:
    return str(external.refresh(inspectable_sites()))


@register("site_visits", every=datetime.timedelta(days=1), title="站点访问量汇总")
def site_visits() -> str:
    return f"已汇总 {visits.fold()} 条站点日访问量"
