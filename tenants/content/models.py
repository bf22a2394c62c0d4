"""Page types of a site: home page, columns (栏目) and articles.

National rules shape them: every list item and article shows its publish date, a column knows
how often it must be updated (its kind), and an article keeps its source (来源).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index


class ColumnKind(models.TextChoices):
    NEWS = "news", _("工作动态")
    NOTICES = "notices", _("通知公告")
    POLICY = "policy", _("政策文件")
    INTERPRETATION = "interpretation", _("政策解读")
    SERVICE = "service", _("办事服务")
    INTERACTION = "interaction", _("互动交流")
    DISCLOSURE = "disclosure", _("政府信息公开")
    GENERAL = "general", _("其他")


class HomePage(Page):
    """A site's home page: its own latest items from every column."""

    intro = RichTextField(_("简介"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["content.ColumnPage"]
    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("首页")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        columns = ColumnPage.objects.child_of(self).live().public().specific().order_by("path")
        context["columns"] = [(column, column.latest_articles(6)) for column in columns]
        return context


class ColumnPage(Page):
    """A column (栏目). Its kind tells inspection how often it must be updated."""

    kind = models.CharField(_("栏目类型"), max_length=20, choices=ColumnKind.choices, default=ColumnKind.NEWS)
    intro = RichTextField(_("栏目说明"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("kind"), FieldPanel("intro")]
    subpage_types = ["content.ArticlePage", "content.ColumnPage"]
    parent_page_types = ["content.HomePage", "content.ColumnPage"]

    class Meta:
        verbose_name = _("栏目")

    def latest_articles(self, limit: int | None = None):
        articles = (
            ArticlePage.objects.live().public().descendant_of(self).order_by("-publish_date", "-first_published_at")
        )
        return articles[:limit] if limit else articles

    def get_context(self, request, *args, **kwargs):
        from django.core.paginator import Paginator

        context = super().get_context(request, *args, **kwargs)
        paginator = Paginator(self.latest_articles(), 20)
        context["articles"] = paginator.get_page(request.GET.get("page"))
        return context


class ArticlePage(Page):
    """An article: news item, notice, policy document or interpretation written on this site."""

    publish_date = models.DateField(_("发布日期"), default=timezone.localdate)
    source = models.CharField(_("来源"), max_length=100, blank=True)
    summary = models.CharField(_("摘要"), max_length=255, blank=True)
    body = RichTextField(_("正文"))

    content_panels = Page.content_panels + [
        FieldPanel("publish_date"),
        FieldPanel("source"),
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("body")]
    subpage_types: list[str] = []
    parent_page_types = ["content.ColumnPage"]

    class Meta:
        verbose_name = _("文章")
