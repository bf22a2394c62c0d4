"""The public 政府网站年度报表 pages of a site: /ndbb/ (the years it published) and /ndbb/<year>/ (the
form as an accessible table, with XLSX and PDF downloads). An unpublished year is not found."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from annualreports import services
from annualreports.admin_views import download
from annualreports.forms_spec import SITE_FORM, SITE_TITLE, table
from annualreports.published import published_years


def _published(request: HttpRequest, year: int):
    report = services.published_report(request.tenant, year)
    if report is None:
        raise Http404
    return report


@require_safe
def report_list(request: HttpRequest) -> HttpResponse:
    context = {
        "years": published_years(request.tenant.pk),
        "meta_title": "政府网站年度报表",
        "meta_description": f"{request.tenant.name}历年《政府网站工作年度报表》。",
    }
    return render(request, "annualreports/public_list.html", context)


@require_safe
def report_detail(request: HttpRequest, year: int) -> HttpResponse:
    report = _published(request, year)
    title = f"{SITE_TITLE}（{year}年度）"
    caption = f"{request.tenant.name}《{SITE_TITLE}》（{year}年度）"
    context = {
        "report": report,
        "title": title,
        "caption": caption,
        "sections": table(SITE_FORM, report.values),
        "meta_title": title,
        "meta_description": f"{caption}：信息发布、解读回应、办事服务、互动交流、安全防护等情况。",
    }
    return render(request, "annualreports/public_report.html", context)


@require_safe
def report_download(request: HttpRequest, year: int, fmt: str) -> HttpResponse:
    return download(_published(request, year), fmt)
