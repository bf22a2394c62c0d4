"""网站普查 in the admin: the console screens (operators, platform host) and, on each site's own
admin, its "网站普查" screen (menu) and a dashboard panel with that site's latest result."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from console.access import OperatorMenuItem, on_platform, operator_only
from inspection import results
from inspection.admin_views import InspectionListView, InspectionSiteView, InspectNowView, OwnInspectionView


@hooks.register("register_admin_urls")
def register_inspection_urls():
    own = OwnInspectionView.as_view()
    return [
        path("console/inspection/", operator_only(InspectionListView.as_view()), name="inspection_index"),
        path("console/inspection/<int:pk>/", operator_only(InspectionSiteView.as_view()), name="inspection_site"),
        path(
            "console/inspection/<int:pk>/inspect/", operator_only(InspectNowView.as_view()), name="inspection_inspect"
        ),
        path("inspection/", own, name="inspection_own"),
        path("inspection/<int:run>/", own, name="inspection_own_run"),
    ]


class SiteMenuItem(MenuItem):
    """Shown on a site's own admin only (the console has its own 网站普查)."""

    def is_shown(self, request) -> bool:
        return not on_platform()


@hooks.register("register_admin_menu_item")
def register_inspection_menu_item():
    return OperatorMenuItem(_("网站普查"), reverse("inspection_index"), icon_name="doc-full", order=906)


@hooks.register("register_admin_menu_item")
def register_own_inspection_menu_item():
    return SiteMenuItem(_("网站普查"), reverse("inspection_own"), icon_name="doc-full", order=850)


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
    run = results.latest_run(request.tenant)
    if run is not None:
        panels.append(InspectionPanel(run))
