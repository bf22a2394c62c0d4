"""互动回应差: a valid message (信件) still unanswered more than 3 months after it arrived, among
those received in the 12 months before the check. Read from 互动交流's overdue list."""

from __future__ import annotations

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.utils.translation import gettext as _
from interaction.models import ItemKind
from interaction.overdue import overdue_items

from inspection.checks import VETO, Context, Finding, check


@check("interaction")
def interaction(ctx: Context) -> list[Finding]:
    limit = ctx.now - relativedelta(months=settings.ZQ_INSPECT_UNANSWERED_MONTHS)
    year_ago = ctx.now - relativedelta(months=12)
    late = list(
        overdue_items([ctx.site], today=ctx.today)
        .filter(kind=ItemKind.LETTER, received_at__lt=limit, received_at__gte=year_ago)
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
