"""What operators see of the task queue and may do with it: every queued, running, retrying and
failed task with its site, attempts and error; retry a failed task, or discard one (both audited)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from audit.log import record
from jobs.backend import max_attempts
from jobs.models import TaskSite
from tenants.models import Site

STATES = {
    "queued": gettext_lazy("排队中"),
    "running": gettext_lazy("运行中"),
    "retrying": gettext_lazy("等待重试"),
    "failed": gettext_lazy("失败"),
    "done": gettext_lazy("已完成"),
}


@dataclass
class TaskRow:
    id: str
    name: str
    state: str
    site_name: str
    schema_name: str
    attempts: int
    max_attempts: int
    error: str
    enqueued_at: object
    run_after: object

    @property
    def state_label(self) -> str:
        return str(STATES[self.state])


def state_of(result: DBTaskResult, info: TaskSite | None) -> str:
    if result.status == TaskResultStatus.RUNNING:
        return "running"
    if result.status == TaskResultStatus.FAILED:
        return "failed"
    if result.status == TaskResultStatus.SUCCESSFUL:
        return "done"
    return "retrying" if result.worker_ids else "queued"


def task_rows(state: str = "", limit: int = 200) -> list[TaskRow]:
    results = DBTaskResult.objects.order_by("-enqueued_at")
    if state in {"queued", "retrying"}:
        results = results.filter(status=TaskResultStatus.READY)
    elif state == "running":
        results = results.filter(status=TaskResultStatus.RUNNING)
    elif state == "failed":
        results = results.filter(status=TaskResultStatus.FAILED)
    elif state == "done":
        results = results.filter(status=TaskResultStatus.SUCCESSFUL)
    else:
        results = results.exclude(status=TaskResultStatus.SUCCESSFUL)
    results = list(results[:limit])
    infos = {info.result_id: info for info in TaskSite.objects.filter(result__in=results)}
    names = dict(Site.objects.filter(schema_name__in={i.schema_name for i in infos.values()})
                 .values_list("schema_name", "name"))  # fmt: skip
    rows = []
    for result in results:
        info = infos.get(result.pk)
        schema = info.schema_name if info else "public"
        row_state = state_of(result, info)
        if state and row_state != state:
            continue
        rows.append(TaskRow(
            id=str(result.pk), name=result.task_name, state=row_state,
            site_name=names.get(schema) or (_("平台") if schema == "public" else schema), schema_name=schema,
            attempts=len(result.worker_ids), max_attempts=info.max_attempts if info else 1,
            error=(info.last_error if info and info.last_error else "") or _last_line(result.traceback),
            enqueued_at=result.enqueued_at, run_after=None if result.run_after == get_date_max() else result.run_after,
        ))  # fmt: skip
    return rows


def _last_line(traceback: str) -> str:
    lines = [line for line in (traceback or "").strip().splitlines() if line.strip()]
    return lines[-1] if lines else ""


def _site_for(info: TaskSite | None) -> Site | None:
    return Site.objects.filter(schema_name=info.schema_name).first() if info else None


def retry(result_id: str, *, by) -> DBTaskResult:
    """Queue a failed task again, with a fresh set of attempts."""
    with transaction.atomic():
        result = DBTaskResult.objects.select_for_update().filter(pk=result_id).first()
        if result is None:
            raise ValidationError(_("任务不存在（可能已被处理）。"))
        if result.status != TaskResultStatus.FAILED:
            raise ValidationError(_("只有失败的任务才能重试。"))
        info = TaskSite.objects.filter(result=result).first()
        result.status = TaskResultStatus.READY
        result.run_after = timezone.now()
        result.finished_at = None
        result.save(update_fields=["status", "run_after", "finished_at"])
        if info is not None:
            info.max_attempts = len(result.worker_ids) + max_attempts()
            info.save(update_fields=["max_attempts"])
        record("task_retry", actor=by, site=_site_for(info), obj=result, task=result.task_path)
    return result


def discard(result_id: str, *, by) -> None:
    """Remove a queued or failed task for good (a running one cannot be taken from its worker)."""
    with transaction.atomic():
        result = DBTaskResult.objects.select_for_update().filter(pk=result_id).first()
        if result is None:
            raise ValidationError(_("任务不存在（可能已被处理）。"))
        if result.status == TaskResultStatus.RUNNING:
            raise ValidationError(_("任务正在运行，不能放弃。"))
        info = TaskSite.objects.filter(result=result).first()
        record("task_discard", actor=by, site=_site_for(info), obj=result, task=result.task_path,
               error=(info.last_error if info else "")[:500])  # fmt: skip
        result.delete()
