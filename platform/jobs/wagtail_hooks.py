"""The 后台任务 screen's URL and menu item: platform console only, operators only."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from console.access import OperatorMenuItem, operator_only
from jobs.admin_views import TaskListView


@hooks.register("register_admin_urls")
def register_task_urls():
    return [path("console/tasks/", operator_only(TaskListView.as_view()), name="console_tasks")]


@hooks.register("register_admin_menu_item")
def register_task_menu_item():
    return OperatorMenuItem(_("后台任务"), reverse("console_tasks"), icon_name="cogs", order=910)
