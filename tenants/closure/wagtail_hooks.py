"""The closure wizard's URLs and menu item: platform console only, operators only."""

from __future__ import annotations

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from console.access import OperatorMenuItem, operator_only
from tenants.closure import admin_views

urlpatterns = [
    path("", operator_only(admin_views.ClosureIndexView.as_view()), name="index"),
    path("start/", operator_only(admin_views.ClosureStartView.as_view()), name="start"),
    path("<int:pk>/", operator_only(admin_views.ClosureDetailView.as_view()), name="detail"),
    path("<int:pk>/progress/", operator_only(admin_views.ClosureProgressView.as_view()), name="progress"),
    path("<int:pk>/plan.csv", operator_only(admin_views.ClosurePlanCsvView.as_view()), name="plan_csv"),
    path("report.<str:fmt>", operator_only(admin_views.OfflineReportView.as_view()), name="report"),
]


@hooks.register("register_admin_urls")
def register_closure_urls():
    return [path("console/closures/", include((urlpatterns, "closure_admin"), namespace="closure_admin"))]


@hooks.register("register_admin_menu_item")
def register_closure_menu_item():
    return OperatorMenuItem(_("关停上移"), reverse("closure_admin:index"), icon_name="warning", order=905)
