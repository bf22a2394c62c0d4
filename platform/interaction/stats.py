"""Figures for inspection (普查/抽查) and the annual report, per site and period — the one place they
are counted: the site's staff screen, the operators' console and the annual report read these.

"On time" means answered on or before the due date; "overdue" counts items still pending past it
plus those answered late. Average days are working days from receipt to answer.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from interaction import deadlines
from interaction.models import Decision, Item, ItemKind, ItemStatus
from tenants.models import Site


@dataclass
class Figures:
    received: int = 0
    answered: int = 0
    on_time: int = 0
    overdue: int = 0
    pending: int = 0
    average_days: float | None = None
    by_kind: dict[str, int] = field(default_factory=dict)
    decisions: dict[str, int] = field(default_factory=dict)  # 依申请公开: decision label → count

    @property
    def on_time_rate(self) -> str:
        return f"{100 * self.on_time / self.answered:.1f}%" if self.answered else "—"


def _period(items, start: datetime.date | None, end: datetime.date | None):
    if start:
        items = items.filter(received_at__date__gte=start)
    if end:
        items = items.filter(received_at__date__lte=end)
    return items


def figures(
    site: Site | None, start: datetime.date | None = None, end: datetime.date | None = None, kind: str | None = None
) -> Figures:
    """Figures of items received by ``site`` (None: the whole cluster) in [start, end]."""
    items = Item.objects.all() if site is None else Item.objects.filter(site=site)
    if kind:
        items = items.filter(kind=kind)
    rows = list(
        _period(items, start, end).only(
            "kind", "status", "received_at", "answered_at", "due_date", "decision", "extended", "mailbox_id"
        )
    )
    result = Figures(received=len(rows))
    today = timezone.localdate()
    taken = []
    for item in rows:
        result.by_kind[item.kind] = result.by_kind.get(item.kind, 0) + 1
        if item.status == ItemStatus.ANSWERED and item.answered_at:
            result.answered += 1
            if item.answered_on_time:
                result.on_time += 1
            else:
                result.overdue += 1
            taken.append(deadlines.working_days_taken(item))
        else:
            result.pending += 1
            if today > item.due_date:
                result.overdue += 1
        if item.kind == ItemKind.DISCLOSURE and item.decision:
            label = str(Decision(item.decision).label)
            result.decisions[label] = result.decisions.get(label, 0) + 1
    if taken:
        result.average_days = round(sum(taken) / len(taken), 1)
    return result


def disclosure_annual(site: Site, year: int) -> dict[str, int]:
    """依申请公开 figures of ``year`` for the annual report: received, each decision type, still
    pending at year end (carried over), extended."""
    items = Item.objects.filter(site=site, kind=ItemKind.DISCLOSURE, received_at__year=year)
    report = {"本年新收政府信息公开申请数量": items.count()}
    for decision in Decision:
        report[str(decision.label)] = items.filter(decision=decision.value).count()
    report["结转下年度继续办理"] = items.filter(status=ItemStatus.PENDING).count()
    report["延期答复"] = items.filter(extended=True).count()
    return report


def cluster_table(start: datetime.date | None = None, end: datetime.date | None = None) -> list[tuple[Site, Figures]]:
    """Every site that received something in the period, with its figures (the console's table)."""
    site_ids = _period(Item.objects.all(), start, end).values_list("site_id", flat=True).distinct()
    return [(site, figures(site, start, end)) for site in Site.objects.filter(pk__in=site_ids).order_by("kind", "name")]
