"""Everything that changes an annual report: fill from the platform's data, edit by hand, publish.
Views, the demo loader and commands call these and nothing else.

Refilling overwrites only the rows nobody edited: a person's figure (e.g. a corrected count) always
wins over the platform's own, and stays after every refresh.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from annualreports import filling
from annualreports.forms_spec import OPERATOR_FORM, SITE_FORM, Section, rows_of
from annualreports.models import OperatorReport, ReportStatus, SiteReport
from annualreports.published import forget_published
from audit.log import record
from tenants.events import site_changed_on_commit
from tenants.models import Site, SiteKind, SiteStatus

FIRST_YEAR = 2018  # the national forms date from 国办函〔2018〕12号


def default_year() -> int:
    """The year a report is due for now: the previous one (due 31 January)."""
    return timezone.localdate().year - 1


def valid_year(year: int) -> bool:
    return FIRST_YEAR <= year <= timezone.localdate().year


def _actor(by) -> str:
    if by is None:
        return ""
    return by if isinstance(by, str) else getattr(by, "username", str(by))


def _merge(report, form: tuple[Section, ...], figures: dict) -> None:
    edited = set(report.edited)
    for row in rows_of(form):
        if row.auto and row.key not in edited and row.key in figures:
            report.values[row.key] = figures[row.key]
    report.filled_at = timezone.now()


def _derive_site_totals(report: SiteReport) -> None:
    """解读信息发布 总数 is its three parts added up, unless someone wrote it in."""
    if "interpretation_total" in report.edited:
        return
    parts = ("interpretation_materials", "interpretation_products", "media_articles")
    report.values["interpretation_total"] = sum(int(report.values.get(key) or 0) for key in parts)


def _same(new, old) -> bool:
    blank = (None, "")
    return (new in blank and old in blank) or new == old


def _apply_edits(report, form: tuple[Section, ...], cleaned: dict) -> list[str]:
    changed = []
    for row in rows_of(form):
        if row.key in cleaned and not _same(cleaned[row.key], report.values.get(row.key)):
            report.values[row.key] = cleaned[row.key]
            changed.append(row.key)
    report.edited = sorted(set(report.edited) | set(changed))
    return changed


# --- the site's 《政府网站工作年度报表》 ---------------------------------------------------------


def site_report(site: Site, year: int) -> SiteReport | None:
    return SiteReport.objects.filter(site=site, year=year).first()


@transaction.atomic
def fill_site_report(site: Site, year: int, *, by=None) -> SiteReport:
    """Create the year's draft if needed and (re)fill every row nobody edited."""
    report, _created = SiteReport.objects.select_for_update().get_or_create(site=site, year=year)
    _merge(report, SITE_FORM, filling.site_figures(site, year))
    _derive_site_totals(report)
    report.updated_by = _actor(by) or report.updated_by
    report.save()
    _published_changed(report)
    return report


@transaction.atomic
def edit_site_report(report: SiteReport, cleaned: dict, *, by=None) -> list[str]:
    """Store a person's values; the rows that changed are marked as edited by hand."""
    changed = _apply_edits(report, SITE_FORM, cleaned)
    _derive_site_totals(report)
    report.updated_by = _actor(by)
    report.save()
    if changed and report.is_published:
        record("annualreport.edit_published", actor=by, site=report.site, obj=report, year=report.year, rows=changed)
    _published_changed(report)
    return changed


@transaction.atomic
def publish_site_report(report: SiteReport, *, by=None) -> SiteReport:
    """Publish on the site's home page and /ndbb/ (audited; the site's cached pages are purged)."""
    report.status = ReportStatus.PUBLISHED
    report.published_at = timezone.now()
    report.published_by = _actor(by)
    report.save()
    record("annualreport.publish", actor=by, site=report.site, obj=report, year=report.year)
    _published_changed(report)
    return report


def _published_changed(report: SiteReport) -> None:
    """A published report is on the home page and /ndbb/: drop the cached years and the cached pages."""
    if report.is_published:
        site_id = report.site_id
        transaction.on_commit(lambda: forget_published(site_id))
        site_changed_on_commit(site_id, "updated")


def published_report(site: Site, year: int) -> SiteReport | None:
    return SiteReport.objects.filter(site=site, year=year, status=ReportStatus.PUBLISHED).first()


def site_statuses(year: int) -> list[tuple[Site, str, SiteReport | None]]:
    """Every running site with its report's state for the year: 已发布, 草稿 or 未填报 (the console's chase list)."""
    reports = {report.site_id: report for report in SiteReport.objects.filter(year=year)}
    sites = Site.objects.exclude(kind=SiteKind.PLATFORM).exclude(status=SiteStatus.CLOSED).order_by("kind", "name")
    rows = []
    for site in sites:
        report = reports.get(site.pk)
        label = str(report.get_status_display()) if report else "未填报"
        rows.append((site, label, report))
    return rows


# --- the operator's 《政府网站监管年度报表》 -----------------------------------------------------


@transaction.atomic
def fill_operator_report(year: int, *, by=None) -> OperatorReport:
    report, _created = OperatorReport.objects.select_for_update().get_or_create(year=year)
    _merge(report, OPERATOR_FORM, filling.operator_figures(year))
    report.updated_by = _actor(by) or report.updated_by
    report.save()
    record("annualreport.operator_fill", actor=by, obj=report, year=year)
    return report


@transaction.atomic
def edit_operator_report(report: OperatorReport, cleaned: dict, *, by=None) -> list[str]:
    changed = _apply_edits(report, OPERATOR_FORM, cleaned)
    report.updated_by = _actor(by)
    report.save()
    if changed:
        record("annualreport.operator_edit", actor=by, obj=report, year=report.year, rows=changed)
    return changed
