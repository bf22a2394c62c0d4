"""The console's menu items, home page and settings menu: on the platform's own domain, for operators.

On a site's host none of it shows (and every console URL answers 404, see ``access``)."""

from __future__ import annotations

from django.urls import reverse
from wagtail import hooks

from console.access import is_operator, on_platform
from console.panels import ClusterDashboardPanel, summary_items
from console.site_views import SiteViewSet
from console.views import AccountViewSet, AuditViewSet, RoleViewSet

CONSOLE_VIEWSETS = [SiteViewSet(), AccountViewSet(), RoleViewSet(), AuditViewSet()]


def _operator_on_platform(request) -> bool:
    return on_platform() and is_operator(request.user)


@hooks.register("register_admin_viewset")
def register_console_viewsets():
    return CONSOLE_VIEWSETS


@hooks.register("construct_main_menu")
def hide_console_on_sites(request, menu_items) -> None:
    """Matched by URL rather than by name: a viewset's menu item name is Wagtail's to choose."""
    if _operator_on_platform(request):
        return
    console_urls = tuple(reverse(f"{viewset.name}:index") for viewset in CONSOLE_VIEWSETS)
    menu_items[:] = [item for item in menu_items if not str(getattr(item, "url", "")).startswith(console_urls)]


@hooks.register("construct_settings_menu")
def hide_wagtail_sites_on_platform(request, menu_items) -> None:
    """Wagtail's own "站点" table would offer to add a bare Wagtail site, which is not a government
    site: on the platform, sites are managed in 站点管理 only."""
    if on_platform():
        menu_items[:] = [item for item in menu_items if getattr(item, "name", "") != "sites"]


@hooks.register("construct_homepage_panels", order=100)  # after the other apps added theirs
def cluster_dashboard(request, panels) -> None:
    """The console's home page is the cluster dashboard (the public schema has no pages to moderate)."""
    if _operator_on_platform(request):
        panels[:] = [ClusterDashboardPanel(request)]


@hooks.register("construct_homepage_summary_items", order=100)
def cluster_summary(request, items) -> None:
    if _operator_on_platform(request):
        items[:] = summary_items(request)
