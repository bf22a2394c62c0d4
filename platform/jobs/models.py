"""What the platform adds to django-tasks-db's queue rows (public schema only).

``TaskSite``: the tenant schema a task was queued from (Wagtail queues its own tasks without saying
which site they concern), and the error text of the latest failed attempt, so operators see why a
task is retrying. ``ScheduledRun``: one row per (job, time slot), the unique key that makes
concurrent schedulers run a due job once.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult


class TaskSite(models.Model):
    result = models.OneToOneField(
        DBTaskResult, on_delete=models.CASCADE, primary_key=True, related_name="site_info", verbose_name=_("任务")
    )
    schema_name = models.CharField(_("站点 schema"), max_length=63, default="public", db_index=True)
    max_attempts = models.PositiveSmallIntegerField(_("最多尝试次数"), default=1)
    last_error = models.TextField(_("最近错误"), blank=True)

    class Meta:
        verbose_name = _("任务所属站点")
        verbose_name_plural = _("任务所属站点")

    def __str__(self) -> str:
        return f"{self.result_id} @ {self.schema_name}"


class ScheduledRun(models.Model):
    job = models.CharField(_("定时任务"), max_length=100)
    slot = models.DateTimeField(_("时间段开始"))
    started_at = models.DateTimeField(_("开始时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    ok = models.BooleanField(_("成功"), null=True)
    output = models.TextField(_("结果"), blank=True)
    runner = models.CharField(_("执行进程"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("定时任务执行记录")
        verbose_name_plural = _("定时任务执行记录")
        ordering = ["-slot", "job"]
        constraints = [models.UniqueConstraint(fields=["job", "slot"], name="scheduledrun_one_per_slot")]

    def __str__(self) -> str:
        return f"{self.job} {self.slot:%Y-%m-%d %H:%M}"
