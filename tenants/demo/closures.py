"""Demo closures: one township already closed into its county (its old domain redirecting) and one
in its notice period, so operators can see every stage of 关停上移 in the console."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings

from tenants.closure import execute, notice, plan, verify
from tenants.closure.models import Closure
from tenants.models import Site

CLOSED_TOWNSHIP = "qs-hongyan"  # closed into 青山县, verified, redirecting
NOTICE_TOWNSHIP = "bs-hekou"  # in its notice period, still serving with the notice banner


def load_closures(log: Callable[[str], None] = print) -> None:
    closed = Site.objects.filter(slug=CLOSED_TOWNSHIP).first()
    if closed is not None and not Closure.objects.filter(site=closed).exists():
        closure = plan.plan_closure(closed, by="demo")
        closure = notice.start_notice(closure, by="demo", notice_days=0, reason="演示：乡镇网站集约化，提前完成迁移")
        closure = execute.execute(closure, by="demo")
        report = verify.verify(closure, by="demo")
        log(f"已将 {closed.name} 关停并迁入 {closure.target.name}（验证：{report.get('passed', '?')} 个地址通过）")
    noticed = Site.objects.filter(slug=NOTICE_TOWNSHIP).first()
    if noticed is not None and not Closure.objects.filter(site=noticed).exists():
        closure = plan.plan_closure(noticed, by="demo")
        closure = notice.start_notice(closure, by="demo", notice_days=settings.ZQ_CLOSURE_NOTICE_DAYS)
        log(f"{noticed.name} 已发布关停整合公告，计划于 {closure.planned_date} 关停")
