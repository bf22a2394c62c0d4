"""The unified information resource library (统一信息资源库): written once, shown on many sites.

Every table here lives in the public schema only (``shared_library`` is a SHARED app), so a site
renders a resource live from the one row: an edit or a withdrawal is seen by every site at once.
Versions are our own table (not Wagtail's revisions, which are per schema and would scatter).
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.fields import RichTextField

from shared_library import guides
from shared_library.storage import library_storage


class Taxonomy(models.Model):
    """A managed classification (national defaults seeded by migration, operators may add)."""

    name = models.CharField(_("名称"), max_length=50, unique=True)
    code = models.CharField(_("代码"), max_length=20, unique=True)
    ordering = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        abstract = True
        ordering = ["ordering", "code"]

    def __str__(self) -> str:
        return self.name


class TopicCategory(Taxonomy):
    class Meta(Taxonomy.Meta):
        verbose_name = _("主题分类")
        verbose_name_plural = _("主题分类")


class Genre(Taxonomy):
    class Meta(Taxonomy.Meta):
        verbose_name = _("体裁分类")
        verbose_name_plural = _("体裁分类")


class ResourceKind(models.TextChoices):
    ARTICLE = "article", _("新闻动态")
    POLICY = "policy", _("政策文件")
    INTERPRETATION = "interpretation", _("政策解读")
    NOTICE = "notice", _("通知公告")
    FILE = "file", _("文件资料")
    IMAGE = "image", _("图片")
    GUIDE = "guide", _("办事指南")


class Validity(models.TextChoices):
    EFFECTIVE = "effective", _("有效")
    EXPIRED = "expired", _("失效")
    REPEALED = "repealed", _("废止")


class Disclosure(models.TextChoices):
    ACTIVE = "active", _("主动公开")
    ON_REQUEST = "on_request", _("依申请公开")
    NOT_PUBLIC = "not_public", _("不予公开")


class ResourceStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PENDING_REVIEW = "pending_review", _("待审核")
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已撤回")


class ResourceQuerySet(models.QuerySet):
    def published(self) -> ResourceQuerySet:
        return self.filter(status=ResourceStatus.PUBLISHED)

    def disclosable(self) -> ResourceQuerySet:
        """Everything but 不予公开, which is never served to the public in any form."""
        return self.exclude(disclosure=Disclosure.NOT_PUBLIC)

    def public(self) -> ResourceQuerySet:
        """What may be shown to the public at all: published and not 不予公开. Every public list,
        page, feed and API starts here."""
        return self.published().disclosable()

    def visible_on(self, site) -> ResourceQuerySet:
        """Resources a site may show: syndicated to it, or contributed by it."""
        syndicated = Syndication.objects.filter(site=site).values("resource_id")
        return self.filter(models.Q(pk__in=syndicated) | models.Q(source_site=site))


class Resource(models.Model):
    """One piece of government information with its disclosure metadata."""

    kind = models.CharField(_("类型"), max_length=20, choices=ResourceKind.choices, default=ResourceKind.ARTICLE)
    title = models.CharField(_("标题"), max_length=255)
    summary = models.CharField(_("摘要"), max_length=500, blank=True)
    body = RichTextField(_("正文"), blank=True)
    index_number = models.CharField(
        _("索引号"),
        max_length=64,
        unique=True,
        blank=True,
        help_text=_("留空则按规则自动生成。"),
        error_messages={"unique": _("索引号已被其他资源使用，请更换。")},
    )
    document_number = models.CharField(_("发文字号"), max_length=100, blank=True)
    issuing_body = models.CharField(_("发布机构"), max_length=100, blank=True, db_index=True)
    written_date = models.DateField(_("成文日期"), null=True, blank=True)
    publish_date = models.DateField(_("发布日期"), default=timezone.localdate, db_index=True)
    topic = models.ForeignKey(
        TopicCategory, verbose_name=_("主题分类"), null=True, blank=True, on_delete=models.PROTECT
    )
    genre = models.ForeignKey(Genre, verbose_name=_("体裁分类"), null=True, blank=True, on_delete=models.PROTECT)
    tags = ArrayField(models.CharField(max_length=50), verbose_name=_("标签"), default=list, blank=True)
    validity = models.CharField(_("有效性"), max_length=20, choices=Validity.choices, default=Validity.EFFECTIVE)
    disclosure = models.CharField(_("公开方式"), max_length=20, choices=Disclosure.choices, default=Disclosure.ACTIVE)
    source_site = models.ForeignKey(
        "tenants.Site",
        verbose_name=_("来源站点"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="library_resources",
        help_text=_("为空表示由平台（市政府）发布。"),
    )
    # A closed site's contributions move to the site that absorbed it (关停上移); its name is kept so
    # the provenance still says where the item came from.
    origin_site_name = models.CharField(_("原来源站点"), max_length=100, blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=ResourceStatus.choices, default=ResourceStatus.DRAFT, db_index=True
    )
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdrawn_reason = models.CharField(_("撤回原因"), max_length=255, blank=True)
    # 办事指南 only: the required elements (shared_library.guides.REQUIRED_ELEMENTS) by key.
    guide = models.JSONField(_("办事指南要素"), default=dict, blank=True)
    interpretation_of = models.ForeignKey(
        "self",
        verbose_name=_("所解读的文件"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="interpretations",
    )
    created_by = models.CharField(_("创建人"), max_length=150, blank=True)
    updated_by = models.CharField(_("最后修改人"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    objects = ResourceQuerySet.as_manager()

    class Meta:
        verbose_name = _("资源")
        verbose_name_plural = _("资源")
        ordering = ["-publish_date", "-pk"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        if self.written_date and self.publish_date and self.publish_date < self.written_date:
            errors.setdefault("publish_date", []).append(_("发布日期不能早于成文日期。"))
        if self.interpretation_of_id:
            if self.kind != ResourceKind.INTERPRETATION:
                errors.setdefault("interpretation_of", []).append(_("只有政策解读才能关联所解读的文件。"))
            elif self.interpretation_of_id == self.pk:
                errors.setdefault("interpretation_of", []).append(_("解读不能关联自身。"))
            elif self.interpretation_of.kind != ResourceKind.POLICY:
                errors.setdefault("interpretation_of", []).append(_("所解读的对象必须是政策文件。"))
        if self.kind == ResourceKind.GUIDE and self.status == ResourceStatus.PUBLISHED:
            missing = guides.missing_elements(self.guide or {})
            if missing:
                errors.setdefault("guide", []).extend(guides.incomplete_error(missing).messages)
        if errors:
            raise ValidationError(errors)

    @property
    def is_withdrawn(self) -> bool:
        return self.status == ResourceStatus.WITHDRAWN

    @property
    def source_label(self) -> str:
        """The provenance shown on every site (来源): the contributing site, else the platform's name."""
        from django.conf import settings

        if self.source_site_id:
            if self.origin_site_name:
                names = {"site": self.source_site.name, "origin": self.origin_site_name}
                return _("%(site)s（原%(origin)s网站）") % names
            return self.source_site.name
        return getattr(settings, "ZQ_LIBRARY_PLATFORM_SOURCE", "市政府")

    def get_path(self) -> str:
        return f"/library/{self.pk}/"


class Attachment(models.Model):
    """A file of a resource, stored once under ``library/`` whichever site uploaded it."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("附件名称"), max_length=255, blank=True)
    file = models.FileField(_("文件"), storage=library_storage, upload_to="attachments/%Y/%m/", max_length=255)
    size = models.PositiveBigIntegerField(_("大小（字节）"), default=0)
    content_type = models.CharField(_("文件类型"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title or self.file.name


class ResourceVersion(models.Model):
    """One change to a resource: who, when, from which site, and field -> [old, new]."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("版本号"))
    at = models.DateTimeField(_("时间"), default=timezone.now)
    by = models.CharField(_("操作人"), max_length=150, blank=True)
    site_name = models.CharField(_("操作站点"), max_length=100, blank=True)
    action = models.CharField(_("操作"), max_length=30, default="edit")
    changes = models.JSONField(_("变更内容"), default=dict)

    class Meta:
        verbose_name = _("资源版本")
        verbose_name_plural = _("资源版本")
        ordering = ["resource", "number"]
        constraints = [models.UniqueConstraint(fields=["resource", "number"], name="library_version_unique_number")]

    def __str__(self) -> str:
        return f"{self.resource_id} v{self.number}"


class Syndication(models.Model):
    """A resource shown in one column of one site (转载). Rendered live, never copied."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="syndications")
    site = models.ForeignKey("tenants.Site", on_delete=models.CASCADE, related_name="library_syndications")
    column_slug = models.SlugField(_("栏目"), max_length=100)
    created_at = models.DateTimeField(_("转载时间"), default=timezone.now)
    created_by = models.CharField(_("操作人"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("转载")
        verbose_name_plural = _("转载")
        constraints = [
            models.UniqueConstraint(fields=["resource", "site", "column_slug"], name="library_syndication_unique")
        ]
        indexes = [models.Index(fields=["site", "column_slug"])]

    def __str__(self) -> str:
        return f"{self.resource_id} -> {self.site_id}/{self.column_slug}"


class IndexSequence(models.Model):
    """The last serial number used for an (org, year) pair, locked while the next one is taken."""

    org = models.CharField(max_length=64)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["org", "year"], name="library_index_sequence_unique")]

    def __str__(self) -> str:
        return f"{self.org}/{self.year}: {self.last}"
