"""网站普查 in the admin: the console screens (operators, platform host) and, on each site's own
admin, a dashboard panel with that site's latest result (what to fix and where)."""

from __future__ import annotations

from django.db import connection
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component

from console.access import OperatorMenuItem, on_platform, operator_only
from inspection import results
from inspection.admin_views import InspectionListView, InspectionSiteView
from tenants.models import Site


@hooks.register("register_admin_urls")
def register_inspection_urls():
    return [
        path("console/inspection/", operator_only(InspectionListView.as_view()), name="inspection_index"),
        path("console/inspection/<int:pk>/", operator_only(InspectionSiteView.as_view()), name="inspection_site"),
    ]


@hooks.register("register_admin_menu_item")
def register_inspection_menu_item():
    return OperatorMenuItem(_("网站普查"), reverse("inspection_index"), icon_name="doc-full", order=906)


class InspectionPanel(Component):
    """The site's own latest inspection result on its editors' dashboard."""

    name = "inspection"
    order = 60
    template_name = "inspection/panel.html"

    def __init__(self, run):
        self.run = run

    def get_context_data(self, parent_context=None):
        return {"run": self.run}


@hooks.register("construct_homepage_panels")
def inspection_panel(request, panels) -> None:
    if on_platform():
        return
    site = Site.objects.filter(schema_name=connection.schema_name).first()
    run = results.latest_run(site) if site else None
    if run is not None:
        panels.append(InspectionPanel(run))
