"""Bookkeeping of a closure (关停上移), all in the public schema.

Why the public schema: routing answers a closed site's old URLs before any tenant schema is chosen
(the closed site's schema may already be archived and dropped), and the ledger must survive a
rollback of either site's data.

- ``Closure``: one operation "close site X into site P", its state machine, notice and progress.
- ``ClosureUrl``: every URL X served, mapped to its new home on P (301) or to the notice (410).
  Planned rows are inert; routing uses them only once the closure has redirected (``is_live``).
- ``ClosureItem``: the execute step's ledger (one row per copied page, image, document, re-attributed
  resource, moved syndication, converted role). A row is written in the same transaction as the
  copy it records, so a killed run resumes without duplicates and rollback knows what to remove.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def default_notice_days() -> int:
    return int(getattr(settings, "ZQ_CLOSURE_NOTICE_DAYS", 30))


def default_retention_days() -> int:
    return int(getattr(settings, "ZQ_CLOSURE_RETENTION_DAYS", 180))


class ClosureStatus(models.TextChoices):
    PLANNED = "planned", _("已规划")
    NOTICE = "notice", _("公告期")
    EXECUTING = "executing", _("迁移中")
    REDIRECTING = "redirecting", _("已迁移，待验证")
    COMPLETED = "completed", _("已完成")
    ROLLED_BACK = "rolled_back", _("已回滚")
    ARCHIVED = "archived", _("已归档")


# States in which the closure is still open (at most one open closure per site).
OPEN_STATUSES = [ClosureStatus.PLANNED, ClosureStatus.NOTICE, ClosureStatus.EXECUTING, ClosureStatus.REDIRECTING]
# States in which X's old URLs are answered from ClosureUrl (301 / 410) by routing.
LIVE_STATUSES = [ClosureStatus.REDIRECTING, ClosureStatus.COMPLETED, ClosureStatus.ARCHIVED]


class Closure(models.Model):
    """Close ``site`` (X) into ``target`` (P, its parent by default)."""

    site = models.ForeignKey(
        "tenants.Site", verbose_name=_("关停站点"), on_delete=models.PROTECT, related_name="closures"
    )
    target = models.ForeignKey(
        "tenants.Site", verbose_name=_("迁入站点"), on_delete=models.PROTECT, related_name="absorbed_closures"
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=ClosureStatus.choices, default=ClosureStatus.PLANNED, db_index=True
    )
    # Where X's pages land on P: a section (ColumnPage) under P's home named after X ...
    section_slug = models.SlugField(_("迁入栏目代号"), max_length=100, allow_unicode=True)
    section_title = models.CharField(_("迁入栏目名称"), max_length=255)
    # ... and per X column: {"<x column slug>": {"mode": "section" | "column", "target": "<P column slug>"}}
    # "section": becomes a sub-column of the section; "column": its articles go into P's own column.
    column_map = models.JSONField(_("栏目映射"), default=dict, blank=True)
    # The plan: inventory counts, the page tree, conflicts (same slugs, same file names, missing columns).
    plan = models.JSONField(_("迁移计划"), default=dict, blank=True)
    planned_at = models.DateTimeField(_("规划时间"), null=True, blank=True)

    notice_days = models.PositiveIntegerField(_("公告期（天）"), default=default_notice_days)
    notice_started_at = models.DateTimeField(_("公告发布时间"), null=True, blank=True)
    planned_date = models.DateField(_("计划关停日期"), null=True, blank=True)
    shortened_reason = models.CharField(_("缩短公告期原因"), max_length=500, blank=True)
    # Redirects are kept until the old domain is cancelled by procedure.
    redirect_expires_on = models.DateField(_("跳转截止日期"), null=True, blank=True)

    # Progress of the running step, for the command's bar and the console's live view.
    step = models.CharField(_("当前步骤"), max_length=40, blank=True)
    progress_done = models.PositiveIntegerField(_("已完成"), default=0)
    progress_total = models.PositiveIntegerField(_("总数"), default=0)
    last_error = models.TextField(_("最近错误"), blank=True)

    executed_at = models.DateTimeField(_("迁移完成时间"), null=True, blank=True)
    verified_at = models.DateTimeField(_("验证时间"), null=True, blank=True)
    verify_report = models.JSONField(_("验证报告"), default=dict, blank=True)
    completed_at = models.DateTimeField(_("关停完成时间"), null=True, blank=True)
    rolled_back_at = models.DateTimeField(_("回滚时间"), null=True, blank=True)
    rollback_reason = models.CharField(_("回滚原因"), max_length=500, blank=True)
    retention_days = models.PositiveIntegerField(_("归档前保留（天）"), default=default_retention_days)
    archived_at = models.DateTimeField(_("归档时间"), null=True, blank=True)
    archive_key = models.CharField(_("归档文件"), max_length=500, blank=True)
    archive_bytes = models.PositiveBigIntegerField(_("归档大小（字节）"), default=0)

    created_by = models.CharField(_("发起人"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("发起时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("关停上移")
        verbose_name_plural = _("关停上移")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["site"],
                condition=models.Q(status__in=OPEN_STATUSES),
                name="closure_one_open_per_site",
                violation_error_message=_("该站点已有进行中的关停任务。"),
            ),
            models.CheckConstraint(condition=~models.Q(site=models.F("target")), name="closure_target_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.site} → {self.target}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES

    @property
    def percent(self) -> int:
        return int(100 * self.progress_done / self.progress_total) if self.progress_total else 0


class UrlKind(models.TextChoices):
    HOME = "home", _("首页")
    PAGE = "page", _("页面")
    LIST = "list", _("栏目分页")
    LIBRARY = "library", _("资源库条目")
    CATALOGUE = "catalogue", _("信息公开目录")
    FEED = "feed", _("订阅源")
    DOCUMENT = "document", _("文档")
    IMAGE = "image", _("图片")
    RENDITION = "rendition", _("图片缩略图")
    OTHER = "other", _("其他")


class VerifyState(models.TextChoices):
    PENDING = "pending", _("未验证")
    PASSED = "passed", _("通过")
    FAILED = "failed", _("未通过")
    ACCEPTED = "accepted", _("已接受例外")


class ClosureUrl(models.Model):
    """One URL X served (path and query, decoded as Django's ``request.get_full_path()`` gives it
    minus the query for most kinds) and where it goes now. Looked up by routing for every request to
    a closed site's domains, by (site, path): one indexed row, so normal sites pay nothing."""

    closure = models.ForeignKey(Closure, on_delete=models.CASCADE, related_name="urls")
    site = models.ForeignKey("tenants.Site", on_delete=models.CASCADE, related_name="+")  # X, for routing
    path = models.CharField(_("原路径"), max_length=2000)
    kind = models.CharField(_("类型"), max_length=20, choices=UrlKind.choices, default=UrlKind.PAGE)
    title = models.CharField(_("标题"), max_length=500, blank=True)  # what the page showed; verify compares it
    new_url = models.CharField(_("新地址"), max_length=2000, blank=True)  # absolute URL on P; blank → 410
    status_code = models.PositiveSmallIntegerField(_("响应码"), default=301)  # 301 or 410
    source_id = models.CharField(_("原对象编号"), max_length=64, blank=True)  # page/image/document/resource id on X

    verify_state = models.CharField(
        _("验证结果"), max_length=20, choices=VerifyState.choices, default=VerifyState.PENDING
    )
    verify_detail = models.CharField(_("验证说明"), max_length=1000, blank=True)
    accepted_reason = models.CharField(_("例外原因"), max_length=500, blank=True)
    accepted_by = models.CharField(_("接受人"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("迁移地址")
        verbose_name_plural = _("迁移地址")
        ordering = ["closure", "path"]
        constraints = [models.UniqueConstraint(fields=["site", "path"], name="closure_url_unique_path")]

    def __str__(self) -> str:
        return f"{self.path} → {self.new_url or self.status_code}"


class ClosureItem(models.Model):
    """The execute step's ledger: ``kind`` + ``source_id`` on X became ``target_id`` on P."""

    closure = models.ForeignKey(Closure, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(max_length=20)  # page, image, document, collection, resource, syndication, role, notice
    source_id = models.CharField(max_length=64)
    target_id = models.CharField(max_length=64, blank=True)
    data = models.JSONField(default=dict, blank=True)  # what rollback needs (e.g. the previous value)
    done_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["closure", "kind", "source_id"], name="closure_item_unique_source")
        ]
        indexes = [models.Index(fields=["closure", "kind"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.source_id} → {self.target_id}"
