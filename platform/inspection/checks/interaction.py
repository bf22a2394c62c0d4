"""互动回应差 and the answer times of the consultation/message columns (信件), read from 互动交流.

- Veto: a valid message still unanswered more than ``ZQ_INSPECT_UNANSWERED_MONTHS`` (3) months after
  it arrived, among those received in the window (the 12 months before the check).
- Deduction: messages of the window answered, or still open, after more than the local limit of
  ``ZQ_INSPECT_ANSWER_WORKING_DAYS`` working days (local rules set 5–15), a point each up to
  ``ZQ_INSPECT_SLOW_ANSWER_MAX_POINTS``; the finding carries the average and longest answer time in
  working days (the official calendar, ``review.workdays``), the figures the national form asks for.
"""

from __future__ import annotations

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from interaction.models import Item, ItemKind, ItemStatus
from interaction.overdue import overdue_items

from inspection.checks import DEDUCTION, VETO, Context, Finding, check
from review.workdays import working_days_between


def _window_start(ctx: Context):
    return ctx.now - relativedelta(months=settings.ZQ_INSPECT_INTERACTION_WINDOW_MONTHS)


@check("interaction")
def interaction(ctx: Context) -> list[Finding]:
    limit = ctx.now - relativedelta(months=settings.ZQ_INSPECT_UNANSWERED_MONTHS)
    late = list(
        overdue_items([ctx.site], today=ctx.today)
        .filter(kind=ItemKind.LETTER, received_at__lt=limit, received_at__gte=_window_start(ctx))
        .order_by("received_at")
    )
    if not late:
        return []
    oldest = late[0]
    return [
        Finding(
            "interaction_unanswered",
            _("互动回应差"),
            VETO,
            _("%(n)d件留言超过%(months)d个月未答复，最早的是%(number)s（%(date)s收到）。")
            % {
                "n": len(late),
                "months": settings.ZQ_INSPECT_UNANSWERED_MONTHS,
                "number": oldest.number,
                "date": oldest.received_at.date().isoformat(),
            },
            url=f"/admin/hudong/{oldest.pk}/",
        )
    ]


def answer_times(site, since, today) -> tuple[list[int], list[tuple[Item, int]]]:
    """Working days each message of the window took to answer, and the messages (answered or still
    open) over the local limit with their days, slowest first."""
    items = Item.objects.filter(site=site, kind=ItemKind.LETTER, received_at__gte=since).only(
        "pk", "number", "status", "received_at", "answered_at"
    )
    answered, slow = [], []
    for item in items:
        start = timezone.localtime(item.received_at).date()
        is_answered = item.status == ItemStatus.ANSWERED and item.answered_at
        end = timezone.localtime(item.answered_at).date() if is_answered else today
        days = working_days_between(start, end)
        if is_answered:
            answered.append(days)
        if days > settings.ZQ_INSPECT_ANSWER_WORKING_DAYS:
            slow.append((item, days))
    slow.sort(key=lambda row: -row[1])
    return answered, slow


@check("interaction_times")
def interaction_times(ctx: Context) -> list[Finding]:
    answered, slow = answer_times(ctx.site, _window_start(ctx), ctx.today)
    if not slow:
        return []
    average = f"{sum(answered) / len(answered):.1f}" if answered else "—"
    worst, worst_days = slow[0]
    return [
        Finding(
            "interaction_slow",
            _("留言答复超期"),
            DEDUCTION,
            _(
                "近%(months)d个月%(n)d件留言超过%(limit)d个工作日才答复或仍未答复，最长的是%(number)s（%(days)d个工作日）；"
                "已答复%(answered)d件，平均%(average)s个工作日，最长%(max)s个工作日。"
            )
            % {
                "months": settings.ZQ_INSPECT_INTERACTION_WINDOW_MONTHS,
                "n": len(slow),
                "limit": settings.ZQ_INSPECT_ANSWER_WORKING_DAYS,
                "number": worst.number,
                "days": worst_days,
                "answered": len(answered),
                "average": average,
                "max": max(answered) if answered else "—",
            },
            url=f"/admin/hudong/{worst.pk}/",
            points=min(len(slow), settings.ZQ_INSPECT_SLOW_ANSWER_MAX_POINTS),
        )
    ]
