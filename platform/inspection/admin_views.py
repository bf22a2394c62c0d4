"""The 网站普查 screens. On the console (operators, platform host): the cluster table with its
charts and filters, one site's history with "立即普查", the closure candidates. On each site's own
admin (its editors and clerks): that site's latest result, what to fix and where, its history, one
run's details — never another site's. The figures are ``inspection.results``'s and ``inspection.charts``'."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from audit import log as audit_log
from inspection import charts, jobs, results, where
from inspection.models import InspectionRun, Verdict
from tenants.models import Site, SiteKind
from zhanqun.lib.admin_pages import TitledAdminTemplateMixin


def _int(value: str | None) -> int | None:
    """A filter's id from the query string; anything else (bad input) is no filter."""
    return int(value) if value and value.isdigit() else None


class InspectionListView(TitledAdminTemplateMixin, TemplateView):
    template_name = "inspection/cluster.html"
    page_title = gettext_lazy("网站普查")
    header_icon = "doc-full"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        every = results.latest_runs()
        verdict = self.request.GET.get("verdict", "")
        verdict = verdict if verdict in ("pass", "fail", "none") else ""
        parent = _int(self.request.GET.get("parent"))
        kind = self.request.GET.get("kind", "")
        kind = kind if kind in SiteKind.values else ""
        rows = charts.filter_rows(every, verdict=verdict, parent=parent, kind=kind)
        filtered = bool(verdict or parent or kind)
        trend = results.trend(site_ids=[site.pk for site, _run in rows] if filtered else None)
        found = charts.indicators(rows)
        buckets = charts.score_buckets(rows)
        parent_ids = {site.parent_id for site, _run in every if site.parent_id}
        parents = Site.objects.filter(pk__in=parent_ids).order_by("name")
        context.update(
            rows=rows,
            total=len(every),
            failing=sum(1 for _site, run in rows if run and run.verdict == Verdict.FAIL),
            candidates=results.closure_candidates(),
            trend=trend,
            indicators=found,
            buckets=buckets,
            charts=charts.chart_data(trend, found, buckets),
            filters={"verdict": verdict, "parent": parent, "kind": kind},
            filtered=filtered,
            verdicts=[("fail", _("不合格")), ("pass", _("合格")), ("none", _("尚未普查"))],
            parents=parents,
            kinds=[(value, label) for value, label in SiteKind.choices if value != SiteKind.PLATFORM],
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
        latest = runs[0] if runs else None
        context.update(
            site=site,
            runs=runs,
            latest=latest,
            findings=where.annotate(site, latest.findings, on_console=True, request=self.request) if latest else [],
            running=jobs.is_running(site),
            inspect_url=reverse("inspection_inspect", args=[site.pk]),
        )
        return context


class InspectNowView(View):
    """POST: queue one inspection of the site (audited), back to its screen, which shows progress."""

    def post(self, request, pk: int):
        site = get_object_or_404(Site.objects.exclude(schema_name="public"), pk=pk)
        if jobs.start(site):
            audit_log.record("inspection.requested", site=site, obj=site)
            messages.success(request, _("已开始普查“%(site)s”，完成后本页显示结果。") % {"site": site.name})
        else:
            messages.warning(request, _("“%(site)s”的普查已在进行中。") % {"site": site.name})
        return redirect("inspection_site", pk=site.pk)


def _own_site(request) -> Site:
    """The site whose admin this is (routing put it on the request); the platform has none (its
    operators use the console)."""
    site = getattr(request, "tenant", None)
    if site is None or site.is_platform:
        raise Http404
    return site


class OwnInspectionView(TitledAdminTemplateMixin, TemplateView):
    """A site's editors: their own site's latest result, what to fix and where, and its history."""

    template_name = "inspection/own.html"
    page_title = gettext_lazy("网站普查")
    header_icon = "doc-full"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        site = _own_site(self.request)
        if "run" in self.kwargs:
            run = get_object_or_404(InspectionRun, pk=self.kwargs["run"], site=site)  # another site's run: 404
        else:
            run = results.latest_run(site)
        context.update(
            site=site,
            run=run,
            findings=where.annotate(site, run.findings, on_console=False) if run else [],
            runs=results.history(site, limit=30),
        )
        return context
