"""The console's 网站普查 screens (operators, platform host): the cluster table, one site's history,
the closure candidates. The figures are ``inspection.results``'s."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from inspection import results
from tenants.models import Site
from zhanqun.lib.admin_pages import TitledAdminTemplateMixin


class InspectionListView(TitledAdminTemplateMixin, TemplateView):
    template_name = "inspection/cluster.html"
    page_title = gettext_lazy("网站普查")
    header_icon = "doc-full"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = results.latest_runs()
        context.update(
            rows=rows,
            failing=sum(1 for _site, run in rows if run and run.verdict == "fail"),
            candidates=results.closure_candidates(),
            trend=results.trend(),
            closure_start=reverse("closure_admin:start"),
        )
        return context


class InspectionSiteView(TitledAdminTemplateMixin, TemplateView):
    template_name = "inspection/site.html"
    page_title = gettext_lazy("网站普查")
    header_icon = "doc-full"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        site = get_object_or_404(Site.objects.exclude(schema_name="public"), pk=self.kwargs["pk"])
        runs = results.history(site)
        context.update(site=site, runs=runs, latest=runs[0] if runs else None)
        return context
