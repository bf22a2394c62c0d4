"""The console's menu items exist only on the platform's own domain and only for operators."""

from __future__ import annotations

from django.urls import reverse
from wagtail import hooks

from console.access import is_operator, on_platform
from console.views import AccountViewSet, AuditViewSet, RoleViewSet

CONSOLE_VIEWSETS = [AccountViewSet(), RoleViewSet(), AuditViewSet()]


@hooks.register("register_admin_viewset")
def register_console_viewsets():
    return CONSOLE_VIEWSETS


@hooks.register("construct_main_menu")
def hide_console_on_sites(request, menu_items) -> None:
    """Matched by URL rather than by name: a viewset's menu item name is Wagtail's to choose."""
    if on_platform() and is_operator(request.user):
        return
    console_urls = tuple(reverse(f"{viewset.name}:index") for viewset in CONSOLE_VIEWSETS)
    menu_items[:] = [item for item in menu_items if not str(getattr(item, "url", "")).startswith(console_urls)]
