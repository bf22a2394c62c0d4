"""互动交流 in the admin: the menu on each site (for its own staff), the cluster table in the console."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from console.access import is_operator, on_platform
from interaction import admin_views


@hooks.register("register_admin_urls")
def interaction_admin_urls():
    return [
        path("hudong/", admin_views.item_list, name="interaction_list"),
        path("hudong/list/<str:state>/", admin_views.item_list, name="interaction_list_state"),
        path("hudong/<int:pk>/", admin_views.item_detail, name="interaction_item"),
        path("hudong/diaocha/", admin_views.survey_list, name="interaction_surveys"),
        path("hudong/tongji/", admin_views.site_stats, name="interaction_stats"),
        path("hudong/xinxiang/", admin_views.mailbox_settings, name="interaction_mailboxes"),
        path("hudong/cluster/", admin_views.cluster_stats, name="interaction_cluster_stats"),
    ]


class SiteStaffItem(MenuItem):
    def is_shown(self, request) -> bool:
        return not on_platform() and admin_views.is_site_staff(request.user)


class SiteStaffSubmenu(SubmenuMenuItem):
    def is_shown(self, request) -> bool:
        return not on_platform() and admin_views.is_site_staff(request.user)


class OperatorItem(MenuItem):
    def is_shown(self, request) -> bool:
        return on_platform() and is_operator(request.user)


@hooks.register("register_admin_menu_item")
def interaction_menu():
    submenu = Menu(
        items=[
            SiteStaffItem(_("待办"), reverse("interaction_list_state", args=["pending"]), order=1),
            SiteStaffItem(_("已办"), reverse("interaction_list_state", args=["done"]), order=2),
            SiteStaffItem(_("逾期"), reverse("interaction_list_state", args=["overdue"]), order=3),
            SiteStaffItem(_("调查征集"), reverse("interaction_surveys"), order=4),
            SiteStaffItem(_("统计"), reverse("interaction_stats"), order=5),
            SiteStaffItem(_("信箱设置"), reverse("interaction_mailboxes"), order=6),
        ]
    )
    return SiteStaffSubmenu(_("互动交流"), submenu, icon_name="mail", order=160)


@hooks.register("register_admin_menu_item")
def interaction_cluster_menu():
    return OperatorItem(_("互动统计"), reverse("interaction_cluster_stats"), icon_name="table", order=900)
