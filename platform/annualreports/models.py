"""The annual reports: one 《政府网站工作年度报表》 per (site, year), one 《政府网站监管年度报表》 per year.

Values are kept as one JSON object keyed by the rows of ``annualreports.forms_spec`` (the national
form changes now and then; a new row needs no migration). ``edited`` lists the rows a person
changed by hand, so refilling from the platform's data never overwrites them.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")


class ReportValues(models.Model):
    values = models.JSONField(_("填报内容"), default=dict, blank=True)
    edited = models.JSONField(_("人工修改的项目"), default=list, blank=True)
    filled_at = models.DateTimeField(_("自动填充时间"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    updated_by = models.CharField(_("最后修改人"), max_length=150, blank=True)

    class Meta:
        abstract = True


class SiteReport(ReportValues):
    site = models.ForeignKey("tenants.Site", verbose_name=_("站点"), on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    status = models.CharField(_("状态"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.CharField(_("发布人"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("政府网站工作年度报表")
        verbose_name_plural = _("政府网站工作年度报表")
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["site", "year"], name="annualreports_one_per_site_year")]

    def __str__(self) -> str:
        return f"{self.site}《政府网站工作年度报表》（{self.year}年度）"

    @property
    def is_published(self) -> bool:
        return self.status == ReportStatus.PUBLISHED


class OperatorReport(ReportValues):
    year = models.PositiveSmallIntegerField(_("年度"), unique=True)

    class Meta:
        verbose_name = _("政府网站监管年度报表")
        verbose_name_plural = _("政府网站监管年度报表")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"《政府网站监管年度报表》（{self.year}年度）"
