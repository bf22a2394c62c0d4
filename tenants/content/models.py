"""Page types of a site: home page, columns (栏目) and articles.

National rules shape them: every list item and article shows its publish date, a column knows
how often it must be updated (its kind), and an article keeps its source (来源).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import models
from django.db.models import F, Window
from django.db.models.functions import RowNumber, Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.images import get_image_model
from wagtail.images.models import AbstractImage
from wagtail.models import Orderable, Page
from wagtail.search import index

from shared_library.site_listing import latest_syndicated_by_column


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
        """The portal's home page in a bounded number of queries, whatever the number of columns:
        the columns (1), their latest articles (1, a window over every column), the library items
        syndicated into them (1) and the headline pictures (2)."""
        context = super().get_context(request, *args, **kwargs)
        columns = list(ColumnPage.objects.child_of(self).live().public().order_by("path"))
        articles = self.latest_articles_by_column(columns, HOME_ITEMS)
        # The request's site, not the connection's: the console's theme preview renders in a bare
        # schema context for a request that carries the site.
        site = getattr(request, "tenant", None)
        syndicated = latest_syndicated_by_column([column.slug for column in columns], HOME_ITEMS, site)
        listed = []
        for column in columns:
            items = articles.get(column.pk, []) + syndicated.get(column.slug, [])
            items.sort(key=lambda item: item.publish_date, reverse=True)
            listed.append((column, items[:HOME_ITEMS]))
        # Empty columns are not shown: national inspection counts an empty column against the site.
        context["columns"] = [(column, items) for column, items in listed if items]
        context.update(home_sections(context["columns"], columns))
        return context

    def latest_articles_by_column(self, columns: list[ColumnPage], limit: int) -> dict[int, list[ArticlePage]]:
        """The newest ``limit`` live articles under each of ``columns`` (nested columns included), in
        one query: a row number per top-level column's path prefix."""
        if not columns:
            return {}
        prefix_length = Page.steplen * (self.depth + 1)
        column_path = Substr("path", 1, prefix_length)
        rows = (
            ArticlePage.objects.live()
            .public()
            .descendant_of(self)
            .select_related("cover")
            .annotate(
                column_path=column_path,
                rank=Window(
                    RowNumber(),
                    partition_by=column_path,
                    order_by=[F("publish_date").desc(), F("first_published_at").desc(nulls_last=True), F("pk").desc()],
                ),
            )
            .filter(rank__lte=limit)
            .order_by("column_path", "rank")
        )
        by_path = {column.path: column.pk for column in columns}
        listed: dict[int, list[ArticlePage]] = {}
        for article in rows:
            column_pk = by_path.get(article.column_path)
            if column_pk is not None:
                listed.setdefault(column_pk, []).append(article)
        return listed


class ColumnPage(Page):
    """A column (栏目). Its kind tells inspection how often it must be updated."""

    kind = models.CharField(_("栏目类型"), max_length=20, choices=ColumnKind.choices, default=ColumnKind.NEWS)
    intro = RichTextField(_("栏目说明"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("kind"), FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]
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
    # Optional: the picture the home page's headline area shows (头条图片). Without it the home page
    # falls back to the first picture in the body, then to a text-only headline.
    cover = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("封面图片"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = RichTextField(_("正文"))

    content_panels = Page.content_panels + [
        FieldPanel("publish_date"),
        FieldPanel("source"),
        FieldPanel("summary"),
        FieldPanel("cover"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("body")]
    subpage_types: list[str] = []
    parent_page_types = ["content.ColumnPage"]

    class Meta:
        verbose_name = _("文章")



HOME_ITEMS = 6  # items per column on the home page
HEADLINE_ITEMS = 4  # items in the headline area
HEADLINE_RENDITION = "fill-640x400"
_BODY_IMAGE = re.compile(r"<embed\b[^>]*\bembedtype=\"image\"[^>]*>")
_EMBED_ID = re.compile(r"\bid=\"(\d+)\"")


@dataclass(frozen=True)
class Headline:
    """One item of the home page's headline area (要闻): an article and its picture, if any."""

    article: ArticlePage
    picture: AbstractImage | None


def first_body_image_id(body: str) -> int | None:
    """The id of the first picture embedded in a rich-text body.

    Wagtail stores pictures in rich text as ``<embed embedtype="image" id="N" …/>``."""
    for tag in _BODY_IMAGE.findall(body or ""):
        found = _EMBED_ID.search(tag)
        if found:
            return int(found.group(1))
    return None


def headlines(articles: list[ArticlePage], limit: int = HEADLINE_ITEMS) -> list[Headline]:
    """The newest articles with their pictures: the cover, else the first picture in the body. The
    pictures and their renditions are read in two queries for all the headlines."""
    chosen = articles[:limit]
    wanted = {article.pk: article.cover_id or first_body_image_id(article.body) for article in chosen}
    ids = {image_id for image_id in wanted.values() if image_id}
    images = {}
    if ids:
        found = get_image_model().objects.filter(pk__in=ids).prefetch_renditions(HEADLINE_RENDITION)
        images = {image.pk: image for image in found}
    return [Headline(article, images.get(wanted[article.pk])) for article in chosen]


def home_sections(listed: list[tuple[ColumnPage, list]], columns: list[ColumnPage]) -> dict:
    """Split the home page's non-empty columns into the areas every theme arranges: the headline (the
    newest news articles), 工作动态, 通知公告, 政策文件, 政策解读 and the other columns; plus the site's
    service column for the service entries (linked even while it is empty)."""
    featured_kinds = (ColumnKind.NEWS, ColumnKind.NOTICES, ColumnKind.POLICY, ColumnKind.INTERPRETATION)
    featured: dict[str, tuple[ColumnPage, list]] = {}
    others = []
    for column, items in listed:
        if column.kind in featured_kinds and column.kind not in featured:
            featured[column.kind] = (column, items)
        else:
            others.append((column, items))
    news_items = featured.get(ColumnKind.NEWS, (None, []))[1]
    news_articles = [item for item in news_items if not getattr(item, "is_library_item", False)]
    return {
        "headline": headlines(news_articles),
        "news": featured.get(ColumnKind.NEWS),
        "notices": featured.get(ColumnKind.NOTICES),
        "policy": featured.get(ColumnKind.POLICY),
        "interpretation": featured.get(ColumnKind.INTERPRETATION),
        "other_columns": others,
        "service_column": next((column for column in columns if column.kind == ColumnKind.SERVICE), None),
    }


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
