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


class ExternalLink(models.Model):
    """The cluster-wide result of checking one external URL (``inspection.external``): every site
    linking to it reads this row, so a URL is requested once per pass whatever the number of sites."""

    url = models.TextField(_("网址"), unique=True)
    ok = models.BooleanField(_("可以打开"), default=False)
    status = models.PositiveSmallIntegerField(_("状态码"), default=0)  # 0: no HTTP answer
    error = models.CharField(_("错误"), max_length=300, blank=True)
    skipped = models.BooleanField(_("未检查"), default=False)  # private/loopback address, not requested
    checked_at = models.DateTimeField(_("检查时间"))

    class Meta:
        verbose_name = _("外部链接检查结果")
        verbose_name_plural = _("外部链接检查结果")

    def __str__(self) -> str:
        return self.url


class SiteVisits(models.Model):
    """Anonymous page views of a site on one day, folded daily from the counters the page cache
    middleware keeps (``tenants.visits``): the closure candidates' "few visitors" evidence."""

    site = models.ForeignKey("tenants.Site", verbose_name=_("站点"), on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("日期"))
    views = models.PositiveIntegerField(_("访问量"), default=0)

    class Meta:
        verbose_name = _("站点访问量")
        verbose_name_plural = _("站点访问量")
        constraints = [models.UniqueConstraint(fields=["site", "day"], name="inspection_sitevisits_site_day")]

    def __str__(self) -> str:
        return f"{self.site} {self.day} {self.views}"
