"""One inspection of one site: kept for history (trend, repeated failures, closure candidates)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Verdict(models.TextChoices):
    PASS = "pass", _("合格")
    FAIL = "fail", _("不合格")


class InspectionRun(models.Model):
    site = models.ForeignKey("tenants.Site", verbose_name=_("站点"), on_delete=models.CASCADE, related_name="+")
    started = models.DateTimeField(_("开始时间"))
    finished = models.DateTimeField(_("结束时间"))
    verdict = models.CharField(_("结论"), max_length=10, choices=Verdict.choices)
    score = models.PositiveSmallIntegerField(_("得分"))
    failing = models.JSONField(_("未通过的单项否决指标"), default=list)  # indicator keys
    details = models.JSONField(_("检查明细"), default=dict)  # {"findings": [...], "probe": {...}}

    class Meta:
        verbose_name = _("普查记录")
        verbose_name_plural = _("普查记录")
        ordering = ["-started"]
        indexes = [models.Index(fields=["site", "-started"])]

    def __str__(self) -> str:
        return f"{self.site} {self.started:%Y-%m-%d %H:%M} {self.get_verdict_display()}"

    @property
    def findings(self) -> list[dict]:
        return self.details.get("findings", [])
