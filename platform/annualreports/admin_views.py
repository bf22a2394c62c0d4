"""The report screens. On a site's admin: its editors fill, edit, publish and download the site's
own report (a submitter may not; another site's report is not found). In the console: operators
fill, edit and download the 监管年度报表 and see every site's report status for the year."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from annualreports import services
from annualreports.exports import report_file
from annualreports.forms import ReportForm
from annualreports.forms_spec import OPERATOR_FORM, OPERATOR_TITLE, SITE_FORM, SITE_TITLE, table
from annualreports.models import OperatorReport, SiteReport
from console.access import on_platform, operator_only
from identity.services import EDITOR_GROUP
from review.chain import REVIEWER_GROUP


def may_publish_reports(user) -> bool:
    """Those who may publish on this site: its editors (站点编辑) and, for a site its parent reviews
    (a township), the parent's editors (上级审核). Submitters (信息报送员) only draft pages."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or user.groups.filter(name__in=(EDITOR_GROUP, REVIEWER_GROUP)).exists()


def site_editor_only(view: Callable) -> Callable:
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        if on_platform():
            raise Http404
        if not may_publish_reports(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _year(request: HttpRequest) -> int:
    raw = request.POST.get("year") or request.GET.get("year") or ""
    try:
        year = int(raw) if raw else services.default_year()
    except ValueError:
        raise Http404 from None
    if not services.valid_year(year):
        raise Http404
    return year


def _years() -> list[int]:
    return list(range(services.default_year() + 1, services.FIRST_YEAR - 1, -1))


def download(report, fmt: str) -> HttpResponse:
    if fmt not in ("xlsx", "pdf"):
        raise Http404
    content, content_type, filename = report_file(report, fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


# --- a site's own report ---------------------------------------------------------------------------


@site_editor_only
def site_report(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    report = services.site_report(request.tenant, year)
    context = {
        "page_title": SITE_TITLE,
        "year": year,
        "years": _years(),
        "report": report,
        "sections": table(SITE_FORM, report.values) if report else [],
        "edited": set(report.edited) if report else set(),
    }
    return render(request, "annualreports/site_report.html", context)


@require_POST
@site_editor_only
def site_fill(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    services.fill_site_report(request.tenant, year, by=request.user)
    messages.success(request, _("已根据平台数据填充%(year)d年度报表；人工修改过的项目保持不变。") % {"year": year})
    return redirect(f"{reverse('annualreports_site')}?year={year}")


@site_editor_only
def site_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(SiteReport, pk=pk, site=request.tenant)
    form = ReportForm(SITE_FORM, report.values, request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            services.edit_site_report(report, form.cleaned_values(), by=request.user)
            messages.success(request, _("报表已保存。"))
            return redirect(f"{reverse('annualreports_site')}?year={report.year}")
        messages.error(request, _("报表未保存，请按提示修改。"))
    context = {"page_title": SITE_TITLE, "report": report, "form": form, "back": reverse("annualreports_site")}
    return render(request, "annualreports/edit.html", context, status=400 if form.errors else 200)


@require_POST
@site_editor_only
def site_publish(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(SiteReport, pk=pk, site=request.tenant)
    services.publish_site_report(report, by=request.user)
    messages.success(request, _("%(year)d年度报表已发布在网站首页和“政府网站年度报表”栏目。") % {"year": report.year})
    return redirect(f"{reverse('annualreports_site')}?year={report.year}")


@site_editor_only
def site_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    return download(get_object_or_404(SiteReport, pk=pk, site=request.tenant), fmt)


# --- the console ---------------------------------------------------------------------------------


@operator_only
def operator_report(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    report = OperatorReport.objects.filter(year=year).first()
    statuses = services.site_statuses(year)
    context = {
        "page_title": OPERATOR_TITLE,
        "year": year,
        "years": _years(),
        "report": report,
        "sections": table(OPERATOR_FORM, report.values) if report else [],
        "edited": set(report.edited) if report else set(),
        "statuses": statuses,
        "late": sum(1 for _site, label, _report in statuses if label != "已发布"),
    }
    return render(request, "annualreports/operator_report.html", context)


@require_POST
@operator_only
def operator_fill(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    services.fill_operator_report(year, by=request.user)
    messages.success(request, _("已根据平台数据填充%(year)d年度监管报表；人工修改过的项目保持不变。") % {"year": year})
    return redirect(f"{reverse('annualreports_operator')}?year={year}")


@operator_only
def operator_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(OperatorReport, pk=pk)
    form = ReportForm(OPERATOR_FORM, report.values, request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            services.edit_operator_report(report, form.cleaned_values(), by=request.user)
            messages.success(request, _("报表已保存。"))
            return redirect(f"{reverse('annualreports_operator')}?year={report.year}")
        messages.error(request, _("报表未保存，请按提示修改。"))
    context = {"page_title": OPERATOR_TITLE, "report": report, "form": form, "back": reverse("annualreports_operator")}
    return render(request, "annualreports/edit.html", context, status=400 if form.errors else 200)


@operator_only
def operator_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    return download(get_object_or_404(OperatorReport, pk=pk), fmt)
