"""The cluster dashboard on the console's home page, as Wagtail homepage panels and summary items.

Charts are Chart.js (vendored, see ``static/console/vendor/chartjs/README.md``) drawn by
``console/dashboard.js`` from JSON embedded with ``json_script``: no inline script, so the page
works under a strict Content-Security-Policy.
"""

from __future__ import annotations

from django.forms import Media
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from wagtail.admin.site_summary import SummaryItem
from wagtail.admin.ui.components import Component

from console import dashboard
from identity.models import Account

CHART_JS = "console/vendor/chartjs/chart.umd.min.js"


class ClusterDashboardPanel(Component):
    name = "cluster_dashboard"
    order = 10
    template_name = "console/dashboard_panel.html"

    def __init__(self, request) -> None:
        self.request = request

    @cached_property
    def data(self) -> dashboard.Dashboard:
        return dashboard.build()

    def get_context_data(self, parent_context=None):
        data = self.data
        return {
            "d": data,
            "charts": data.charts(),
            "sites_url": reverse("console_sites:index"),
            "audit_url": reverse("console_audit:index"),
            "request": self.request,
        }

    @property
    def media(self) -> Media:
        return Media(js=[CHART_JS, "console/dashboard.js"], css={"all": ["console/console.css"]})


class CountSummaryItem(SummaryItem):
    """One number in the summary row at the top of the console's home page."""

    template_name = "console/summary_item.html"

    def __init__(self, request, *, order: int, label: str, count: int, url: str, icon: str) -> None:
        super().__init__(request)
        self.order, self.label, self.count, self.url, self.icon = order, label, count, url, icon

    def get_context_data(self, parent_context):
        return {"label": self.label, "count": self.count, "url": self.url, "icon": self.icon}


def summary_items(request) -> list[SummaryItem]:
    return [
        CountSummaryItem(request, order=10, label=_("个站点"), count=dashboard.real_sites().count(),
                         url=reverse("console_sites:index"), icon="site"),
        CountSummaryItem(request, order=20, label=_("个账号"), count=Account.objects.count(),
                         url=reverse("console_accounts:index"), icon="user"),
    ]  # fmt: skip
