"""The scheduled inspection (``jobs.scheduler``): every site probed and checked about 20 times a day,
as the national spot check watches a site, without anyone running a command."""

from __future__ import annotations

import datetime

from django.conf import settings

from inspection.services import inspect_sites, inspectable_sites
from jobs.scheduler import register


@register("inspection", every=datetime.timedelta(hours=settings.ZQ_INSPECT_EVERY_HOURS), title="网站普查")
def inspection() -> str:
    runs = inspect_sites(inspectable_sites())
    failed = sum(1 for run in runs if run.verdict == "fail")
    return f"已检查 {len(runs)} 个站点，不合格 {failed} 个"
