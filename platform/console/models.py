"""The console's own public-schema rows: per-site statistics and bulk-creation jobs.

Why a stats table: a site's pages and workflow states live in its own schema, and the site list
and the dashboard must not open 1,000 schemas per request. ``console.stats`` keeps one row per
site, refreshed when a page is published/unpublished or a review starts/ends on that site, and by
``manage.py refresh_site_stats`` (for sites changed outside those signals, e.g. raw imports).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SiteStats(models.Model):
    site = models.OneToOneField(
        "tenants.Site", verbose_name=_("站点"), on_delete=models.CASCADE, primary_key=True, related_name="stats"
    )
    page_count = models.PositiveIntegerField(_("页面数"), default=0)
    last_published_at = models.DateTimeField(_("最近更新"), null=True, blank=True, db_index=True)
    pending_reviews = models.PositiveIntegerField(_("待审核"), default=0, db_index=True)
    refreshed_at = models.DateTimeField(_("统计时间"), default=timezone.now)

    class Meta:
        verbose_name = _("站点统计")
        verbose_name_plural = _("站点统计")

    def __str__(self) -> str:
        return f"{self.site_id}: {self.page_count}"


class ImportStatus(models.TextChoices):
    RUNNING = "running", _("进行中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("出错中止")


class BulkImport(models.Model):
    """One uploaded CSV of sites. The rows are kept so a run cut short resumes where it stopped
    (``done`` rows are behind it); results accumulate as each row finishes."""

    filename = models.CharField(_("文件名"), max_length=255)
    content = models.TextField(_("内容"))
    status = models.CharField(_("状态"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.RUNNING)
    total = models.PositiveIntegerField(_("总行数"), default=0)
    done = models.PositiveIntegerField(_("已处理"), default=0)
    created = models.JSONField(_("已创建"), default=list, blank=True)  # [{"line", "slug", "name", "domain"}]
    errors = models.JSONField(_("出错行"), default=list, blank=True)  # [{"line", "slug", "message"}]
    last_error = models.TextField(_("中止原因"), blank=True)
    created_by = models.CharField(_("操作人"), max_length=150, blank=True)
    started_at = models.DateTimeField(_("开始时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("批量创建")
        verbose_name_plural = _("批量创建")
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return self.filename

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 100
