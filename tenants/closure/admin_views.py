"""The operators' closure wizard in the platform console: start → plan (column mapping, conflicts,
URL map) → notice → execute (live progress) → verify (exceptions) → complete → archive, with rollback
until archived. Thin: every change is one call into the step modules, which validate and audit."""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView
from django_tenants.utils import schema_context
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.log_actions import LogContext

from tenants.closure import archive as archive_step
from tenants.closure import jobs, report
from tenants.closure import notice as notice_step
from tenants.closure import plan as plan_step
from tenants.closure import rollback as rollback_step
from tenants.closure import verify as verify_step
from tenants.closure.forms import (
    ColumnMapForm,
    NoticeForm,
    OptionalReasonForm,
    ReasonForm,
    RestoreForm,
    StartClosureForm,
)
from tenants.closure.models import Closure, ClosureStatus, ClosureUrl, VerifyState
from tenants.content.models import ColumnPage, HomePage
from tenants.models import Site


def _actor(request: HttpRequest) -> str:
    return request.user.get_username()


def _errors(exc: ValidationError | PermissionDenied) -> list[str]:
    if isinstance(exc, ValidationError):
        return exc.messages
    return [str(exc) or _("没有权限执行该操作。")]


def as_platform_step(method):
    """Run a closure step outside the admin request's log context.

    Wagtail logs page changes with the request's user, which is a row of the platform's schema; the
    steps write pages into other sites' schemas, where that row does not exist. The cluster audit
    log records who ran each step (by username), so Wagtail's per-site log entries carry no user."""

    def wrapped(self, request, *args, **kwargs):
        with LogContext(user=None):
            return method(self, request, *args, **kwargs)

    return wrapped


INVENTORY_LABELS = {
    "pages": gettext_lazy("页面"),
    "articles": gettext_lazy("文章"),
    "columns": gettext_lazy("栏目"),
    "images": gettext_lazy("图片"),
    "renditions": gettext_lazy("图片缩略图"),
    "documents": gettext_lazy("文档"),
    "library_items": gettext_lazy("展示的资源库条目"),
    "contributed_resources": gettext_lazy("报送的资源库条目"),
    "syndications": gettext_lazy("转载到本站的资源"),
    "forms": gettext_lazy("表单页"),
    "redirects": gettext_lazy("原有跳转"),
    "roles": gettext_lazy("人员角色"),
    "domains": gettext_lazy("域名"),
}
REPORT_LABELS = {
    "total": gettext_lazy("地址总数"),
    "passed": gettext_lazy("通过"),
    "failed": gettext_lazy("未通过"),
    "accepted": gettext_lazy("已接受例外"),
    "hosts": gettext_lazy("验证的域名"),
    "requests": gettext_lazy("请求次数"),
    "seconds": gettext_lazy("用时（秒）"),
    "by": gettext_lazy("验证人"),
    "finished_at": gettext_lazy("完成时间"),
}


def labelled(data: dict, labels: dict) -> list[tuple[str, object]]:
    """The known entries of a step's JSON, in the labels' order, with Chinese labels."""
    rows = []
    for key, label in labels.items():
        if key in data:
            value = data[key]
            rows.append((label, "、".join(map(str, value)) if isinstance(value, list) else value))
    return rows


def top_columns(site: Site) -> list[tuple[str, str]]:
    """A site's top-level columns (slug, title), read from its own schema."""
    with schema_context(site.schema_name):
        home = HomePage.objects.first()
        if home is None:
            return []
        return list(ColumnPage.objects.child_of(home).order_by("path").values_list("slug", "title"))


class ClosureAdminView(WagtailAdminTemplateMixin, TemplateView):
    """Breadcrumbs: 首页 › 关停上移 › (this page)."""

    header_icon = "warning"

    def get_breadcrumbs_items(self):
        items = [*self.breadcrumbs_items, {"url": reverse("closure_admin:index"), "label": _("关停上移")}]
        if not isinstance(self, ClosureIndexView):
            items.append({"url": "", "label": self.get_page_title()})
        return items


class ClosureIndexView(ClosureAdminView):
    template_name = "closure/index.html"
    page_title = gettext_lazy("关停上移")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["closures"] = Closure.objects.select_related("site", "target").order_by("-created_at")[:200]
        context["start_url"] = reverse("closure_admin:start")
        return context


class ClosureStartView(ClosureAdminView):
    template_name = "closure/start.html"
    page_title = gettext_lazy("发起关停上移")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", StartClosureForm(initial={"site": self.request.GET.get("site")}))
        return context

    @as_platform_step
    def post(self, request: HttpRequest) -> HttpResponse:
        form = StartClosureForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                closure = plan_step.plan_closure(
                    data["site"], data["target"], by=_actor(request), section_title=data["section_title"] or None
                )
            except (ValidationError, PermissionDenied) as exc:
                for message in _errors(exc):
                    form.add_error(None, message)
            else:
                messages.success(request, _("已生成迁移计划，请核对栏目映射和冲突。"))
                return redirect("closure_admin:detail", closure.pk)
        return self.render_to_response(self.get_context_data(form=form))


class ClosureDetailView(ClosureAdminView):
    """One closure: its state, plan, URL map and the forms for the next step."""

    template_name = "closure/detail.html"

    def dispatch(self, request, *args, **kwargs):
        self.closure = get_object_or_404(Closure.objects.select_related("site", "target"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("关停上移：%(site)s → %(target)s") % {"site": self.closure.site, "target": self.closure.target}

    def column_form(self, data=None) -> ColumnMapForm:
        return ColumnMapForm(
            data,
            x_columns=top_columns(self.closure.site) if self.closure.status in (ClosureStatus.PLANNED,
                                                                                  ClosureStatus.NOTICE) else [],
            p_columns=top_columns(self.closure.target),
            initial_map=self.closure.column_map or {},
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        closure = self.closure
        urls = closure.urls.order_by("kind", "path")
        state = self.request.GET.get("verify")
        if state in VerifyState.values:
            urls = urls.filter(verify_state=state)
        context.update(
            closure=closure,
            statuses=ClosureStatus,
            urls=Paginator(urls, 100).get_page(self.request.GET.get("p")),
            url_count=closure.urls.count(),
            failed=closure.urls.filter(verify_state=VerifyState.FAILED)[:200],
            conflicts=(closure.plan or {}).get("conflicts", []),
            inventory=labelled((closure.plan or {}).get("counts", {}), INVENTORY_LABELS),
            verify_rows=labelled(closure.verify_report or {}, REPORT_LABELS),
            running=jobs.is_running(closure.pk),
            progress_url=reverse("closure_admin:progress", args=[closure.pk]),
            csv_url=reverse("closure_admin:plan_csv", args=[closure.pk]),
        )
        context.setdefault("column_form", self.column_form())
        context.setdefault("notice_form", NoticeForm(initial={"notice_days": closure.notice_days}))
        context.setdefault("rollback_form", ReasonForm())
        context.setdefault("archive_form", OptionalReasonForm())
        context.setdefault("restore_form", RestoreForm())
        return context

    @as_platform_step
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        action = request.POST.get("action", "")
        handler = getattr(self, f"do_{action}", None)
        if handler is None:
            messages.error(request, _("未知操作。"))
            return redirect("closure_admin:detail", pk)
        try:
            response = handler(request)
        except (ValidationError, PermissionDenied) as exc:
            for message in _errors(exc):
                messages.error(request, message)
            return redirect("closure_admin:detail", pk)
        return response or redirect("closure_admin:detail", pk)

    def _invalid(self, **forms) -> HttpResponse:
        messages.error(self.request, _("请修正下面的错误。"))
        return self.render_to_response(self.get_context_data(**forms))

    def do_replan(self, request):
        form = self.column_form(request.POST)
        if not form.is_valid():
            return self._invalid(column_form=form)
        plan_step.plan_closure(
            self.closure.site, self.closure.target, by=_actor(request), column_map=form.column_map(),
            section_title=self.closure.section_title, section_slug=self.closure.section_slug,
        )
        messages.success(request, _("迁移计划已按新的栏目映射重新生成。"))

    def do_notice(self, request):
        form = NoticeForm(request.POST)
        if not form.is_valid():
            return self._invalid(notice_form=form)
        notice_step.start_notice(
            self.closure, by=_actor(request), notice_days=form.cleaned_data["notice_days"],
            reason=form.cleaned_data["reason"],
        )
        messages.success(request, _("关停整合公告已发布，站点进入公告期。"))

    def do_execute(self, request):
        if jobs.start(self.closure, "execute", _actor(request)):
            messages.success(request, _("迁移已开始，进度见下方。"))
        else:
            messages.warning(request, _("迁移正在进行中。"))

    def do_verify(self, request):
        if jobs.start(self.closure, "verify", _actor(request)):
            messages.success(request, _("验证已开始，进度见下方。"))
        else:
            messages.warning(request, _("验证正在进行中。"))

    def do_accept(self, request):
        form = ReasonForm(request.POST)
        url = get_object_or_404(ClosureUrl, pk=request.POST.get("url") or 0, closure=self.closure)
        if not form.is_valid():
            messages.error(request, _("接受例外必须填写原因。"))
            return None
        verify_step.accept_exception(url, by=_actor(request), reason=form.cleaned_data["reason"])
        messages.success(request, _("已接受例外：%s") % url.path)

    def do_rollback(self, request):
        form = ReasonForm(request.POST)
        if not form.is_valid():
            return self._invalid(rollback_form=form)
        rollback_step.rollback(self.closure, by=_actor(request), reason=form.cleaned_data["reason"])
        messages.success(request, _("已回滚：原站点恢复服务，迁入的副本和跳转已删除。"))

    def do_archive(self, request):
        form = OptionalReasonForm(request.POST)
        if not form.is_valid():
            return self._invalid(archive_form=form)
        archive_step.archive(self.closure, by=_actor(request), force_reason=form.cleaned_data["reason"])
        messages.success(request, _("站点数据已归档，原数据库模式已删除。"))

    def do_restore(self, request):
        form = RestoreForm(request.POST)
        if not form.is_valid():
            return self._invalid(restore_form=form)
        site = archive_step.restore(self.closure, by=_actor(request), slug=form.cleaned_data["slug"])
        messages.success(request, _("已从归档恢复为新站点：%s") % site.primary_domain)


class ClosureProgressView(View):
    """Polled by the detail page while a step runs."""

    def get(self, request: HttpRequest, pk: int) -> JsonResponse:
        closure = get_object_or_404(Closure, pk=pk)
        return JsonResponse(
            {
                "status": closure.status,
                "status_label": closure.get_status_display(),
                "step": closure.step,
                "done": closure.progress_done,
                "total": closure.progress_total,
                "percent": closure.percent,
                "running": jobs.is_running(closure.pk),
                "error": closure.last_error,
            }
        )


class ClosurePlanCsvView(View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        closure = get_object_or_404(Closure, pk=pk)
        buffer = io.StringIO()
        buffer.write("\ufeff")
        writer = csv.writer(buffer)
        writer.writerow([_("原地址"), _("新地址"), _("响应码"), _("类型"), _("标题")])
        for row in plan_step.plan_rows(closure):
            writer.writerow([report.neutralise(value) for value in row])
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="closure-{closure.site.slug}-plan.csv"'
        return response


class OfflineReportView(View):
    """The national offline report of every completed closure, as CSV or XLSX."""

    def get(self, request: HttpRequest, fmt: str) -> HttpResponse:
        rows = report.report_rows(report.reported_closures())
        if fmt == "xlsx":
            content = report.xlsx_bytes(rows)
            content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        else:
            content = report.csv_bytes(rows)
            content_type = "text/csv; charset=utf-8"
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="offline-report.{fmt}"'
        return response
