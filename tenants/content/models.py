"""Page types of a site: home page, columns (栏目) and articles.

National rules shape them: every list item and article shows its publish date, a column knows
how often it must be updated (its kind), and an article keeps its source (来源).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
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
    subpage_types = ["content.ColumnPage", "content.LibraryListPage"]
    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("首页")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        columns = ColumnPage.objects.child_of(self).live().public().specific().order_by("path")
        # Empty columns are not shown: national inspection counts an empty column against the site.
        listed = [(column, list(column.latest_articles(6))) for column in columns]
        context["columns"] = [(column, articles) for column, articles in listed if articles]
        return context


class ColumnPage(Page):
    """A column (栏目). Its kind tells inspection how often it must be updated."""

    kind = models.CharField(_("栏目类型"), max_length=20, choices=ColumnKind.choices, default=ColumnKind.NEWS)
    intro = RichTextField(_("栏目说明"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("kind"), FieldPanel("intro")]
    subpage_types = [
        "content.ArticlePage",
        "content.ColumnPage",
        "content.LibraryListPage",
        "services.ServiceGuidePage",  # 办事指南 (tenants.services)
    ]
    parent_page_types = ["content.HomePage", "content.ColumnPage"]

    class Meta:
        verbose_name = _("栏目")

    def latest_articles(self, limit: int | None = None):
        articles = (
            ArticlePage.objects.live().public().descendant_of(self).order_by("-publish_date", "-first_published_at")
        )
        return articles[:limit] if limit else articles

    def column_items(self):
        """Own articles merged by date with library resources syndicated into this column (转载)."""
        from shared_library.site_listing import column_listing

        return column_listing(self.latest_articles(), self.slug)

    def get_context(self, request, *args, **kwargs):
        from django.core.paginator import Paginator

        context = super().get_context(request, *args, **kwargs)
        paginator = Paginator(self.column_items(), 20)
        context["articles"] = paginator.get_page(request.GET.get("page"))
        return context


def dated_slug(day) -> str:
    """A short, stable URL name for an article: its creation date and that day's number on this site
    (``20261125-1``), instead of a long percent-encoded Chinese title."""
    prefix = day.strftime("%Y%m%d") + "-"
    taken = Page.objects.filter(slug__startswith=prefix).values_list("slug", flat=True)
    numbers = [int(slug[len(prefix) :]) for slug in taken if slug[len(prefix) :].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1}"


class ArticleForm(WagtailAdminPageForm):
    """Wagtail's admin derives a new article's slug from its (Chinese) title; give it a dated one
    instead. Only on creation in the admin: an existing or imported page (a closed site's articles
    moved upward keep their old slugs) is never renamed, and an ASCII slug someone typed is kept."""

    def clean(self):
        cleaned = super().clean()
        slug = cleaned.get("slug") or ""
        if self.instance.pk is None and (not slug or not slug.isascii()):
            cleaned["slug"] = dated_slug(timezone.localdate())
            self.errors.pop("slug", None)
        return cleaned


class ArticlePage(Page):
    """An article: news item, notice, policy document or interpretation written on this site."""

    base_form_class = ArticleForm

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



class LibraryListPage(Page):
    """A page of library resources: picked by hand, or a saved query kept up to date by itself."""

    intro = RichTextField(_("说明"), blank=True)
    query_kind = models.CharField(_("资源类型"), max_length=20, blank=True)
    query_topic = models.CharField(_("主题分类代码"), max_length=20, blank=True)
    query_genre = models.CharField(_("体裁分类代码"), max_length=20, blank=True)
    query_issuing_body = models.CharField(_("发布机构"), max_length=100, blank=True)
    limit = models.PositiveIntegerField(_("显示条数"), default=20)

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        InlinePanel("library_items", label=_("手动选择的资源")),
        MultiFieldPanel(
            [
                FieldPanel("query_kind"),
                FieldPanel("query_topic"),
                FieldPanel("query_genre"),
                FieldPanel("query_issuing_body"),
                FieldPanel("limit"),
            ],
            heading=_("按条件自动选取（未手动选择时使用）"),
        ),
    ]
    subpage_types: list[str] = []
    parent_page_types = ["content.HomePage", "content.ColumnPage"]

    class Meta:
        verbose_name = _("资源库列表")

    def resources(self):
        from shared_library.page_queries import resources_for_list_page

        return resources_for_list_page(self)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["resources"] = self.resources()
        return context


class LibraryListItem(Orderable):
    """One hand-picked resource (by id: the resource lives in the public schema)."""

    page = ParentalKey(LibraryListPage, on_delete=models.CASCADE, related_name="library_items")
    resource_id = models.PositiveIntegerField(_("资源编号"))

    panels = [FieldPanel("resource_id")]
