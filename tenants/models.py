"""The cluster's registry: every site is a tenant with its own PostgreSQL schema."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin

from tenants.lib.hostnames import validate_hostname
from themes.registry import theme_choices


class SiteKind(models.TextChoices):
    PLATFORM = "platform", _("平台")
    CITY = "city", _("市级门户")
    COUNTY = "county", _("县区站点")
    DEPARTMENT = "department", _("部门站点")
    TOWNSHIP = "township", _("乡镇（街道）站点")


class SiteStatus(models.TextChoices):
    ACTIVE = "active", _("运行中")
    CLOSING = "closing", _("关停整合中")
    CLOSED = "closed", _("已关停")
    SUSPENDED = "suspended", _("暂停服务")


icp_validator = RegexValidator(
    r"^[\u4e00-\u9fa5]ICP备\d{6,12}号(-\d{1,3})?$",
    _("ICP备案号格式应如“京ICP备11041399号-2”。"),
)
police_validator = RegexValidator(
    r"^[\u4e00-\u9fa5]公网安备\d{14}号?$",
    _("公安备案号格式应如“京公网安备11010502035964号”（14位数字）。"),
)


class ReviewBy(models.TextChoices):
    """Who approves what a site's staff submit (the review chain, ``review.chain``)."""

    OWN = "own", _("本站编辑审核")
    PARENT = "parent", _("上级站点编辑审核")
    BOTH = "both", _("本站或上级站点编辑审核")


def default_review_by(kind: str) -> str:
    """Townships have no editors of their own: their parent reviews. Every other site reviews itself."""
    return ReviewBy.PARENT if kind == SiteKind.TOWNSHIP else ReviewBy.OWN


class Site(TenantMixin):
    """A government website: the tenant. Its pages, users and files live in its own schema."""

    name = models.CharField(_("站点名称"), max_length=100)
    slug = models.SlugField(
        _("站点代号"), max_length=50, unique=True, help_text=_("小写字母、数字和连字符，用于默认域名。")
    )
    kind = models.CharField(_("站点类型"), max_length=20, choices=SiteKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级站点"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    site_code = models.CharField(_("网站标识码"), max_length=12, blank=True)
    icp_number = models.CharField(_("ICP备案号"), max_length=40, blank=True, validators=[icp_validator])
    police_number = models.CharField(_("公安备案号"), max_length=40, blank=True, validators=[police_validator])
    organiser = models.CharField(_("主办单位"), max_length=100, blank=True)
    operator = models.CharField(_("承办单位"), max_length=100, blank=True)
    contact = models.CharField(_("联系方式"), max_length=200, blank=True)
    theme = models.CharField(_("主题"), max_length=40, choices=theme_choices(), default="default")
    review_by = models.CharField(
        _("审核方式"),
        max_length=10,
        choices=ReviewBy.choices,
        blank=True,
        help_text=_("谁审核本站信息报送员提交的内容。留空则按站点类型：乡镇（街道）由上级站点审核，其他由本站审核。"),
    )
    status = models.CharField(_("状态"), max_length=10, choices=SiteStatus.choices, default=SiteStatus.ACTIVE)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    closed_at = models.DateTimeField(_("关停时间"), null=True, blank=True)
    # The tenant-migration state hash (tenants.schema_template.migration_state_hash) this site's
    # schema was last brought to: set when it is made from the template or migrated by a deploy.
    # setup_platform migrates only the sites whose value differs; blank means unknown (migrate).
    migration_state = models.CharField(_("迁移状态"), max_length=64, blank=True, editable=False)

    # Schemas are created by tenants.provisioning (template clone), never by save().
    auto_create_schema = False
    auto_drop_schema = False

    class Meta:
        verbose_name = _("站点")
        verbose_name_plural = _("站点")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.review_by:
            self.review_by = default_review_by(self.kind)
        super().save(*args, **kwargs)

    @property
    def reviewed_by_parent(self) -> bool:
        return bool(self.parent_id) and self.review_by in (ReviewBy.PARENT, ReviewBy.BOTH)

    @property
    def reviewed_by_own(self) -> bool:
        return not self.reviewed_by_parent or self.review_by == ReviewBy.BOTH

    def clean(self) -> None:
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": _("站点不能以自身为上级站点。")})
        if self.kind == SiteKind.TOWNSHIP and not self.parent_id:
            raise ValidationError({"parent": _("乡镇（街道）站点必须指定上级站点。")})

    @property
    def is_platform(self) -> bool:
        return self.kind == SiteKind.PLATFORM

    @property
    def primary_domain(self) -> str:
        domain = self.get_primary_domain()
        return domain.domain if domain else ""

    def site_code_warnings(self) -> list[str]:
        """National practice is 10 digits (division code + serial) or ``bm`` + 8 digits; the rule is
        inferred, so a mismatch is a warning shown to operators, not an error."""
        from tenants.lib.site_code import site_code_warnings

        return site_code_warnings(self.site_code)


class Domain(DomainMixin):
    """A hostname answering for a site: one primary, any number of aliases."""

    domain = models.CharField(_("域名"), max_length=253, unique=True, db_index=True, validators=[validate_hostname])
    # An alias (not primary) answers 301 to the primary domain unless the operator chose to serve it.
    serve_alias = models.BooleanField(
        _("别名直接访问"), default=False, help_text=_("不勾选时，访问该别名会永久跳转（301）到主域名。")
    )

    class Meta:
        verbose_name = _("域名")
        verbose_name_plural = _("域名")

    def save(self, *args, **kwargs):
        self.domain = self.domain.strip().lower()
        super().save(*args, **kwargs)


class SchemaTemplate(models.Model):
    """A prepared tenant schema, keyed by the hash of the tenant migration state.

    ``sql`` is the schema's ``pg_dump`` (with the template's name as a placeholder) so that a new
    site is a replay of DDL + the initial rows rather than a run of every migration. A template
    whose hash no longer matches the code is stale and is rebuilt, never used.
    """

    state_hash = models.CharField(max_length=64, unique=True)
    schema_name = models.CharField(max_length=63)
    sql = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    build_seconds = models.FloatField(default=0)

    def __str__(self) -> str:
        return self.schema_name


class SpareSchema(models.Model):
    """A pre-built, unclaimed schema (the warm pool). Claimed by renaming it to the new site's."""

    schema_name = models.CharField(max_length=63, unique=True)
    state_hash = models.CharField(max_length=64, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.schema_name
