"""Console screens for creating sites from an uploaded CSV: upload, progress (polled), result with
the bad rows, and the bad rows as a CSV report. The work itself is ``console.bulk_import``'s."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from console import bulk_import
from console.forms import BulkUploadForm
from console.models import BulkImport, ImportStatus


def _actor(request: HttpRequest) -> str:
    return request.user.get_username()


class BulkImportView(WagtailAdminTemplateMixin, FormView):
    template_name = "console/bulk_import.html"
    page_title = gettext_lazy("批量创建站点")
    header_icon = "upload"
    form_class = BulkUploadForm

    def get_breadcrumbs_items(self):
        return [{"url": reverse("console_sites:index"), "label": _("站点管理")}, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["jobs"] = BulkImport.objects.defer("content")[:20]
        context["columns"] = ", ".join(bulk_import.bulk.COLUMNS)
        return context

    def form_valid(self, form: BulkUploadForm) -> HttpResponse:
        job = bulk_import.start(form.cleaned_data["file"].name, form.content, by=_actor(self.request))
        return redirect("console_sites:bulk_detail", job.pk)

    def form_invalid(self, form):
        messages.error(self.request, _("文件未导入，请修正下面的错误。"))
        return super().form_invalid(form)


class BulkJobMixin:
    def dispatch(self, request, *args, **kwargs):
        self.job = get_object_or_404(BulkImport, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)


class BulkImportDetailView(BulkJobMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "console/bulk_detail.html"
    header_icon = "upload"

    def get_page_title(self):
        return _("批量创建：%s") % self.job.filename

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("console_sites:index"), "label": _("站点管理")},
            {"url": reverse("console_sites:bulk"), "label": _("批量创建站点")},
            {"url": "", "label": self.job.filename},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            job=self.job,
            stalled=bulk_import.is_stalled(self.job),
            progress_url=reverse("console_sites:bulk_progress", args=[self.job.pk]),
            report_url=reverse("console_sites:bulk_report", args=[self.job.pk]),
        )
        return context

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Resume a run that stopped (failed, or its process went away)."""
        if self.job.status == ImportStatus.FAILED or bulk_import.is_stalled(self.job):
            bulk_import.launch(self.job)
            messages.success(request, _("已从第 %d 行之后继续。") % (self.job.done + 1))
        return redirect("console_sites:bulk_detail", self.job.pk)


class BulkImportProgressView(BulkJobMixin, View):
    def get(self, request: HttpRequest, pk: int) -> JsonResponse:
        job = self.job
        return JsonResponse({"status": job.status, "status_label": job.get_status_display(), "done": job.done,
                             "total": job.total, "created": len(job.created), "errors": len(job.errors),
                             "last_error": job.last_error})  # fmt: skip


class BulkImportReportView(BulkJobMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not self.job.errors:
            raise Http404
        response = HttpResponse(bulk_import.error_report(self.job), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="bulk-{self.job.pk}-errors.csv"'
        return response
