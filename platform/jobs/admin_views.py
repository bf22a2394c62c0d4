"""The console's 后台任务 screen (operators, platform host only): the work is ``jobs.operations``'s."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from jobs import operations
from zhanqun.lib.admin_pages import TitledAdminTemplateMixin


class TaskListView(TitledAdminTemplateMixin, TemplateView):
    template_name = "jobs/task_list.html"
    page_title = gettext_lazy("后台任务")
    header_icon = "cogs"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        state = self.request.GET.get("state", "")
        state = state if state in operations.STATES else ""
        context.update(rows=operations.task_rows(state), state=state, states=operations.STATES.items())
        return context

    def post(self, request, *args, **kwargs):
        action, task_id = request.POST.get("action"), request.POST.get("task", "")
        try:
            if action == "retry":
                operations.retry(task_id, by=request.user)
                messages.success(request, _("已重新排队。"))
            elif action == "discard":
                operations.discard(task_id, by=request.user)
                messages.success(request, _("已放弃该任务。"))
            else:
                messages.error(request, _("未知操作。"))
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        return redirect(request.get_full_path())
