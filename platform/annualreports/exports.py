"""The reports as files laid out like the national form: XLSX (openpyxl) and PDF (reportlab).

Layout, both formats: the title, the reporting unit and year, then one table — section (merged down
its rows) | sub-heading (merged down its rows, e.g. 留言办理) | row | value.

PDF and Chinese: the CJK TrueType font at ``ZQ_REPORT_FONT`` (default: WenQuanYi Zen Hei from
Debian's ``fonts-wqy-zenhei``, which the Dockerfile installs) is embedded, so the file reads the same
everywhere and its text can be extracted. Without that file the PDF falls back to reportlab's
built-in CID font STSong-Light: no file needed, but not embedded (the reader supplies a Song font;
Acrobat and pdf.js do, some minimal viewers show blanks).
"""

from __future__ import annotations

import io
import os
from functools import cache

from django.conf import settings
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from annualreports.forms_spec import OPERATOR_FORM, OPERATOR_TITLE, SITE_FORM, SITE_TITLE, Section, table

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_TYPE = "application/pdf"
FALLBACK_FONT = "STSong-Light"


def _layout(form: tuple[Section, ...], values: dict) -> tuple[list[list], list[tuple[int, int, int, int]]]:
    """The table body as rows of 4 cells and the merges (col0, row0, col1, row1), 0-based, body only.
    A figure stays a number (a spreadsheet can add it up); everything else is its displayed text."""
    cells: list[list] = []
    spans: list[tuple[int, int, int, int]] = []
    for section, rows in table(form, values):
        first = len(cells)
        group_start = None
        for index, (row, shown) in enumerate(rows):
            at = len(cells)
            raw = values.get(row.key)
            if isinstance(raw, int | float) and not isinstance(raw, bool):
                shown = raw
            if row.group:
                cells.append([section.title if index == 0 else "", row.group, row.label, shown])
                previous = rows[index - 1][0].group if index else None
                if previous != row.group:
                    group_start = at
                following = rows[index + 1][0].group if index + 1 < len(rows) else None
                if following != row.group and at > group_start:
                    spans.append((1, group_start, 1, at))
            else:
                cells.append([section.title if index == 0 else "", row.label, "", shown])
                spans.append((1, at, 2, at))
        if len(cells) - 1 > first:
            spans.append((0, first, 0, len(cells) - 1))
    return cells, spans


def xlsx_bytes(title: str, unit: str, form: tuple[Section, ...], values: dict) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(vertical="center", wrap_text=True)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sheet.append([title])
    sheet.merge_cells("A1:D1")
    sheet["A1"].font = Font(size=16, bold=True)
    sheet["A1"].alignment = centre
    sheet.row_dimensions[1].height = 30
    sheet.append([unit])
    sheet.merge_cells("A2:D2")
    sheet.append(["项目", "", "", "填报内容"])
    sheet.merge_cells("A3:C3")
    header_rows = 3
    cells, spans = _layout(form, values)
    for row in cells:
        sheet.append(row)
    for col0, row0, col1, row1 in spans:
        sheet.merge_cells(
            start_row=row0 + header_rows + 1,
            start_column=col0 + 1,
            end_row=row1 + header_rows + 1,
            end_column=col1 + 1,
        )
    for row in sheet.iter_rows(min_row=header_rows, max_row=header_rows + len(cells), max_col=4):
        for cell in row:
            cell.border = border
            cell.alignment = centre if cell.column <= 2 or cell.row == header_rows else wrap
    for cell in sheet[header_rows]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCD", (18, 14, 44, 40), strict=True):
        sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@cache
def pdf_font() -> str:
    """The registered font name: the embedded CJK TrueType font, else the built-in CID font."""
    path = getattr(settings, "ZQ_REPORT_FONT", "")
    if path and os.path.exists(path):
        try:
            pdfmetrics.registerFont(TTFont("ZQReportCJK", path, subfontIndex=0))
            return "ZQReportCJK"
        except Exception:  # noqa: BLE001 - an unreadable font file must not stop the download
            pass
    pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_FONT))
    return FALLBACK_FONT


def pdf_bytes(title: str, unit: str, form: tuple[Section, ...], values: dict) -> bytes:
    font = pdf_font()
    body = ParagraphStyle("cell", fontName=font, fontSize=9, leading=12, wordWrap="CJK")
    heading = ParagraphStyle("title", fontName=font, fontSize=16, leading=22, alignment=1)
    cells, spans = _layout(form, values)
    data = [[Paragraph("项目", body), "", "", Paragraph("填报内容", body)]]
    data += [[Paragraph(_escape(str(text)), body) if text != "" else "" for text in row] for row in cells]
    grid = Table(data, colWidths=[28 * mm, 24 * mm, 68 * mm, 60 * mm], repeatRows=1)
    style = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
        ("SPAN", (0, 0), (2, 0)),
    ]
    style += [("SPAN", (col0, row0 + 1), (col1, row1 + 1)) for col0, row0, col1, row1 in spans]
    grid.setStyle(TableStyle(style))
    buffer = io.BytesIO()
    margin = 15 * mm
    document = SimpleDocTemplate(
        buffer, pagesize=A4, title=title, leftMargin=margin, rightMargin=margin, topMargin=margin, bottomMargin=margin
    )
    document.build([Paragraph(_escape(title), heading), Paragraph(_escape(unit), body), Spacer(1, 4 * mm), grid])
    return buffer.getvalue()


def _escape(text: str) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def report_file(report, fmt: str) -> tuple[bytes, str, str]:
    """(content, content type, file name) of a site's or the operator's report as ``xlsx`` or ``pdf``."""
    if hasattr(report, "site"):
        form, name = SITE_FORM, SITE_TITLE
        unit = f"填报单位：{report.site.organiser or report.site.name}　　年度：{report.year}年"
    else:
        form, name = OPERATOR_FORM, OPERATOR_TITLE
        unit = f"填报单位：{report.values.get('unit') or '—'}　　年度：{report.year}年"
    title = f"{name}（{report.year}年度）"
    filename = f"{report.year}年度{name}.{fmt}"
    if fmt == "xlsx":
        return xlsx_bytes(title, unit, form, report.values), XLSX_TYPE, filename
    return pdf_bytes(title, unit, form, report.values), PDF_TYPE, filename
