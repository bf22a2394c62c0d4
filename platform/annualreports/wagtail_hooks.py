"""年度报表 in the admin: on each site the editors' screen and a dashboard reminder while last year's
report is unpublished; in the console the 监管年度报表 with every site's report status."""

from __future__ import annotations

import datetime

from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from annualreports import admin_views, published, services
from annualreports.models import ReportStatus, SiteReport
from console.access import OperatorMenuItem, on_platform

hooks.register("zq_home_page_boxes", published.home_box)


@hooks.register("register_admin_urls")
def register_annual_report_urls():
    return [
        path("ndbb/", admin_views.site_report, name="annualreports_site"),
        path("ndbb/fill/", admin_views.site_fill, name="annualreports_site_fill"),
        path("ndbb/<int:pk>/edit/", admin_views.site_edit, name="annualreports_site_edit"),
        path("ndbb/<int:pk>/publish/", admin_views.site_publish, name="annualreports_site_publish"),
        path("ndbb/<int:pk>/download/<str:fmt>/", admin_views.site_download, name="annualreports_site_download"),
        path("console/ndbb/", admin_views.operator_report, name="annualreports_operator"),
        path("console/ndbb/fill/", admin_views.operator_fill, name="annualreports_operator_fill"),
        path("console/ndbb/<int:pk>/edit/", admin_views.operator_edit, name="annualreports_operator_edit"),
        path(
            "console/ndbb/<int:pk>/download/<str:fmt>/",
            admin_views.operator_download,
            name="annualreports_operator_download",
        ),
    ]


class SiteEditorMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return not on_platform() and admin_views.may_publish_reports(request.user)


@hooks.register("register_admin_menu_item")
def register_site_menu_item():
    return SiteEditorMenuItem(_("政府网站工作年度报表"), reverse("annualreports_site"), icon_name="table", order=170)


@hooks.register("register_admin_menu_item")
def register_console_menu_item():
    return OperatorMenuItem(_("政府网站监管年度报表"), reverse("annualreports_operator"), icon_name="table", order=907)


class ReminderPanel(Component):
    """Last year's report is not published yet: due 31 January."""

    name = "annual_report_reminder"
    order = 55
    template_name = "annualreports/reminder_panel.html"

    def __init__(self, year: int, report: SiteReport | None):
        self.year, self.report = year, report

    def get_context_data(self, parent_context=None):
        due = datetime.date(self.year + 1, 1, 31)
        return {
            "year": self.year,
            "report": self.report,
            "due": due,
            "overdue": timezone.localdate() > due,
            "url": f"{reverse('annualreports_site')}?year={self.year}",
        }


@hooks.register("construct_homepage_panels")
def annual_report_reminder(request, panels) -> None:
    if on_platform() or not admin_views.may_publish_reports(request.user):
        return
    year = services.default_year()
    report = services.site_report(request.tenant, year)
    if report is None or report.status != ReportStatus.PUBLISHED:
        panels.append(ReminderPanel(year, report))
