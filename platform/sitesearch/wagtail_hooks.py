"""The search screens in the Wagtail admin: 搜索词典 on the platform console (operators), 站内搜索统计
in each site's admin (its editors)."""

from __future__ import annotations

from django.db import connection
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from console.access import is_operator, on_platform, operator_only
from sitesearch.admin_views import DictionaryView, SearchStatsView
from tenants.content.creation import is_site_editor


@hooks.register("register_admin_urls")
def search_admin_urls():
    return [
        path("search-dictionary/", operator_only(DictionaryView.as_view()), name="sitesearch_dictionary"),
        path("search-stats/", SearchStatsView.as_view(), name="sitesearch_stats"),
    ]


class DictionaryMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return on_platform() and is_operator(request.user)


class StatsMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return connection.schema_name != "public" and is_site_editor(request.user)


@hooks.register("register_admin_menu_item")
def dictionary_menu_item():
    return DictionaryMenuItem(_("搜索词典"), reverse("sitesearch_dictionary"), icon_name="search", order=900)


@hooks.register("register_admin_menu_item")
def stats_menu_item():
    return StatsMenuItem(_("站内搜索统计"), reverse("sitesearch_stats"), icon_name="search", order=910)
