"""互动交流's scheduled job (``jobs.scheduler``): the daily overdue reminder to each site's staff, so an
item nearing the national 3-month limit is never forgotten because nobody ran a command."""

from __future__ import annotations

import datetime

from interaction.overdue import remind_overdue
from jobs.scheduler import register


@register("interaction_overdue", every=datetime.timedelta(days=1), title="互动事项逾期提醒")
def interaction_overdue() -> str:
    return f"已提醒 {remind_overdue()} 个站点"
