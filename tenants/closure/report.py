"""The national offline report (网站永久下线报备): one row per completed or archived closure.

Columns as the national reporting system asks for them: the site's name, site code (网站标识码),
organiser (主办单位), every domain, the new addresses (P's URL and the section X's content went to),
the closing date, the date the redirects are planned to end, and the state (an expired redirect set
is flagged: the old domain should have been cancelled by then). Written as CSV (UTF-8 with BOM, so
Excel opens it) and XLSX. Text cells that a spreadsheet would run as a formula are neutralised.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from tenants.closure.addresses import planned_redirect_expiry, redirects_expired, section_url, site_domains, site_url
from tenants.closure.models import Closure, ClosureStatus
from zhanqun.lib.spreadsheets import neutralise_formula

COLUMNS = [
    "网站名称", "网站标识码", "主办单位", "域名", "迁入网站名称", "新网站地址", "迁入栏目地址",
    "关停日期", "跳转截止日期", "状态",
]  # fmt: skip
REPORTED = [ClosureStatus.COMPLETED, ClosureStatus.ARCHIVED]


def reported_closures() -> QuerySet[Closure]:
    return Closure.objects.filter(status__in=REPORTED).select_related("site", "target").order_by("completed_at", "pk")


def closed_on(closure: Closure) -> datetime.date | None:
    moment = closure.site.closed_at or closure.executed_at or closure.completed_at
    return timezone.localdate(moment) if moment else None


def state(closure: Closure, today: datetime.date | None = None) -> str:
    text = _("已永久下线（%s）") % closure.get_status_display()
    if redirects_expired(closure, today):
        text += _("；跳转已到期，原域名应已注销")
    return text


def report_rows(closures: Iterable[Closure] | None = None, today: datetime.date | None = None) -> list[list[Any]]:
    """Typed rows (text and dates), in ``COLUMNS`` order."""
    rows = []
    for closure in reported_closures() if closures is None else closures:
        site = closure.site
        rows.append(
            [
                site.name,
                site.site_code,
                site.organiser,
                "；".join(site_domains(site)),
                closure.target.name,
                site_url(closure.target),
                section_url(closure),
                closed_on(closure),
                planned_redirect_expiry(closure),
                state(closure, today),
            ]  # fmt: skip
        )
    return rows


neutralise = neutralise_formula  # a text cell starting like a formula is shown as text (CSV injection)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(neutralise(value))


def csv_bytes(rows: list[list[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerows([_cell_text(value) for value in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "网站下线报备"
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([neutralise(value) for value in row])
    for column_cells in sheet.iter_cols(min_row=2):
        for cell in column_cells:
            if isinstance(cell.value, datetime.date):
                cell.number_format = "yyyy-mm-dd"
    for index, name in enumerate(COLUMNS, start=1):
        widest = max([len(name) * 2] + [len(_cell_text(row[index - 1])) for row in rows])
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = min(60, widest + 2)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
