"""首页不更新 and 栏目不更新: judged from what a visitor sees (the home page's list items and their
visible dates) and from each column's newest item by column kind. An item whose date is not shown
does not count as an update (national rule), so the home page is read from its rendered HTML; the
items it lists without a date are reported by ``undated_items`` (the home page only: the page the
rule reads, already fetched by the probe; column pages list the same items, dated by every theme)."""

from __future__ import annotations

import datetime
import html as html_lib
import re

from django.conf import settings
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from inspection.checks import DEDUCTION, VETO, Context, Finding, check
from inspection.checks.links import internal_path
from tenants.content.models import ArticlePage, ColumnKind, ColumnPage, HomePage
from tenants.models import Domain

_ITEM = re.compile(r"<li\b[^>]*>(.*?)</li>", re.S | re.I)
_LINK = re.compile(r"<a\b[^>]*href=", re.I)
_DATE = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})")
_ANCHOR = re.compile(r"""<a\b[^>]*\bhref=["']([^"']+)["'][^>]*>(.*?)</a>""", re.S | re.I)
_LIBRARY_ITEM = re.compile(r"^/library/\d+/$")
MAX_LISTED = 20

# Columns the public expects to hold items (service and interaction columns are entrances).
CONTENT_KINDS = (
    ColumnKind.NEWS,
    ColumnKind.NOTICES,
    ColumnKind.POLICY,
    ColumnKind.INTERPRETATION,
    ColumnKind.DISCLOSURE,
    ColumnKind.GENERAL,
)


def update_periods() -> dict[str, int]:
    """Days within which each column kind must carry something new (news 2 weeks, notices and policy 6 months)."""
    return {
        ColumnKind.NEWS: settings.ZQ_INSPECT_NEWS_DAYS,
        ColumnKind.NOTICES: settings.ZQ_INSPECT_NOTICES_DAYS,
        ColumnKind.POLICY: settings.ZQ_INSPECT_NOTICES_DAYS,
    }


def _shown_date(block: str) -> datetime.date | None:
    match = _DATE.search(block)
    if not match:
        return None
    try:
        return datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def undated_links(html: str) -> list[tuple[str, str]]:
    """(href, text) of the linked list items of a page that show no date."""
    found = []
    for block in _ITEM.findall(html):
        anchor = _ANCHOR.search(block)
        if anchor and _shown_date(block) is None:
            found.append((html_lib.unescape(anchor.group(1)), strip_tags(anchor.group(2)).strip()))
    return found


def visible_item_dates(html: str) -> tuple[list[datetime.date], int]:
    """The dates shown next to the linked list items of a page, and how many linked items show none."""
    dates, undated = [], 0
    for block in _ITEM.findall(html):
        if not _LINK.search(block):
            continue
        shown = _shown_date(block)
        if shown is None:
            undated += 1
        else:
            dates.append(shown)
    return dates, undated


def home_is_fresh(html: str, today: datetime.date, days: int) -> tuple[bool, datetime.date | None, int]:
    """Whether the home page shows an item dated within ``days`` (an undated item never counts)."""
    dates, undated = visible_item_dates(html)
    newest = max((d for d in dates if d <= today), default=None)
    return bool(newest and (today - newest).days <= days), newest, undated


@check("home_fresh")
def home_fresh(ctx: Context) -> list[Finding]:
    if not ctx.probe.get("ok"):
        return []  # the availability check reports a home page that did not load
    days = settings.ZQ_INSPECT_HOME_DAYS
    fresh, newest, undated = home_is_fresh(ctx.probe.get("html", ""), ctx.today, days)
    if fresh:
        return []
    newest_text = newest.isoformat() if newest else _("无")
    return [
        Finding(
            "home_stale",
            _("首页不更新"),
            VETO,
            _("首页%(days)d天内没有新的带日期的信息（最新：%(newest)s；另有%(undated)d条未显示发布日期，视为未更新）。")
            % {"days": days, "newest": newest_text, "undated": undated},
            url="/",
        )
    ]


def column_states(site, today: datetime.date) -> list[dict]:
    """Every live content column with its newest item's date and whether it is empty or stale."""
    periods = update_periods()
    states = []
    with schema_context(site.schema_name):
        for column in ColumnPage.objects.live().filter(kind__in=CONTENT_KINDS).order_by("path"):
            newest = (
                ArticlePage.objects.live()
                .descendant_of(column)
                .order_by("-publish_date")
                .values_list("publish_date", flat=True)
                .first()
            )
            period = periods.get(column.kind)
            states.append(
                {
                    "title": column.title,
                    "url": column.url or "",
                    "admin": f"/admin/pages/{column.pk}/",
                    "kind": column.kind,
                    "newest": newest,
                    "empty": newest is None,
                    "stale": bool(period and newest and (today - newest).days > period),
                    "must_update": bool(period),
                }
            )
    return states


@check("columns")
def columns(ctx: Context) -> list[Finding]:
    states = column_states(ctx.site, ctx.today)
    empty = [s for s in states if s["empty"]]
    stale = [s for s in states if s["stale"]]
    not_updated = [s for s in states if s["must_update"] and (s["stale"] or s["empty"])]
    findings = []

    def names(rows):
        return "、".join(row["title"] for row in rows)

    vetoes = (  # (code, rows, threshold, message): the national form's three column veto items
        ("columns_empty", empty, settings.ZQ_INSPECT_EMPTY_COLUMNS, _("%(n)d个空白栏目：%(names)s。")),
        ("columns_stale", stale, settings.ZQ_INSPECT_STALE_COLUMNS, _("%(n)d个栏目超期未更新：%(names)s。")),
        (
            "columns_not_updated",
            not_updated,
            settings.ZQ_INSPECT_NOT_UPDATED_COLUMNS,
            _("%(n)d个应更新栏目未更新：%(names)s。"),
        ),
    )
    for code, rows, threshold, message in vetoes:
        if len(rows) >= threshold:
            findings.append(
                Finding(
                    code,
                    _("栏目不更新"),
                    VETO,
                    message % {"n": len(rows), "names": names(rows)},
                    url=rows[0]["admin"],
                )
            )
    # Below the veto threshold each empty column still costs a point on the 100-point form.
    for state in empty if len(empty) < settings.ZQ_INSPECT_EMPTY_COLUMNS else []:
        findings.append(
            Finding(
                "column_empty",
                _("空白栏目"),
                "deduction",
                _("栏目“%(title)s”没有内容。") % {"title": state["title"]},
                url=state["admin"],
                points=1,
            )
        )
    return findings


def newest_item(site) -> datetime.date | None:
    """The publish date of the site's newest live article (closure candidates: how long it has been idle)."""
    with schema_context(site.schema_name):
        return ArticlePage.objects.live().order_by("-publish_date").values_list("publish_date", flat=True).first()


def _item_paths(site, paths: set[str]) -> set[str]:
    """Which of these site paths are information items: live articles or library items (not the
    home page's entrances such as 领导信箱, which carry no date by nature)."""
    items = {path for path in paths if _LIBRARY_ITEM.match(path)}
    with schema_context(site.schema_name):
        root = HomePage.objects.values_list("url_path", flat=True).first() or "/"
        by_url_path = {root.rstrip("/") + path: path for path in paths - items}
        live = ArticlePage.objects.live().filter(url_path__in=list(by_url_path)).values_list("url_path", flat=True)
        items |= {by_url_path[url_path] for url_path in live}
    return items


@check("undated_items")
def undated_items(ctx: Context) -> list[Finding]:
    """未显示发布日期: items listed on the home page without a visible date, each with its address (the
    national rule counts them as not updated; ``home_fresh`` already ignores them)."""
    if not ctx.probe.get("ok"):
        return []
    hosts = set(Domain.objects.filter(tenant=ctx.site).values_list("domain", flat=True))
    links = [(internal_path(href, hosts), text) for href, text in undated_links(ctx.probe.get("html", ""))]
    items = _item_paths(ctx.site, {path for path, _text in links if path})
    listed = list(dict.fromkeys((path, text) for path, text in links if path in items))
    if not listed:
        return []
    names = "、".join(f"{text}（{path}）" for path, text in listed[:MAX_LISTED])
    return [
        Finding(
            "items_undated",
            _("未显示发布日期"),
            DEDUCTION,
            _("首页有%(n)d条信息未显示发布日期，视为未更新：%(items)s。") % {"n": len(listed), "items": names},
            url="/",
            points=1,
        )
    ]
