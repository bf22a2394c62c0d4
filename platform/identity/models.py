"""The person and their roles: public-schema rows shared by the whole cluster (统一身份认证).

An ``Account`` is the one identity (one password) a person has on the platform. A ``SiteRole`` is
the registry operators read; the truth Wagtail enforces is the site schema's ``siteusers.User``
row and its groups, which ``identity.services`` keeps in step with these rows.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Account(models.Model):
    """One person, one login name and one password for every site of the cluster."""

    username = models.CharField(_("登录名"), max_length=150, unique=True)
    display_name = models.CharField(_("姓名"), max_length=100, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    password = models.CharField(_("密码"), max_length=256, editable=False)
    is_active = models.BooleanField(_("启用"), default=True)
    is_operator = models.BooleanField(
        _("平台运维人员"), default=False, help_text=_("可登录平台控制台，管理所有站点、账号和角色。")
    )
    failed_login_count = models.PositiveIntegerField(_("连续登录失败次数"), default=0, editable=False)
    locked_until = models.DateTimeField(_("锁定至"), null=True, blank=True, editable=False)
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True, editable=False)
    # Set when an operator resets the password: every admin sends the person to the password
    # screen until they choose their own (identity.password_reset).
    must_change_password = models.BooleanField(_("下次登录须修改密码"), default=False, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("账号")
        verbose_name_plural = _("账号")
        ordering = ["username"]
        constraints = [models.UniqueConstraint(Lower("username"), name="identity_account_username_ci")]

    def __str__(self) -> str:
        return f"{self.display_name}（{self.username}）" if self.display_name else self.username

    @property
    def is_locked(self) -> bool:
        return bool(self.locked_until and self.locked_until > timezone.now())


class Role(models.TextChoices):
    EDITOR = "editor", _("站点编辑")
    SUBMITTER = "submitter", _("信息报送员")


class SiteRole(models.Model):
    """A person's role on one site. Submitters also list the columns (ColumnPage slugs) they write in."""

    account = models.ForeignKey(Account, verbose_name=_("账号"), on_delete=models.CASCADE, related_name="roles")
    site = models.ForeignKey("tenants.Site", verbose_name=_("站点"), on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    columns = models.JSONField(_("可报送栏目"), default=list, blank=True)
    granted_by = models.CharField(_("授权人"), max_length=150, blank=True)
    granted_at = models.DateTimeField(_("授权时间"), default=timezone.now)

    class Meta:
        verbose_name = _("站点角色")
        verbose_name_plural = _("站点角色")
        ordering = ["site__name", "account__username"]
        constraints = [models.UniqueConstraint(fields=["account", "site"], name="identity_one_role_per_site")]

    def __str__(self) -> str:
        return f"{self.account} @ {self.site}：{self.get_role_display()}"


def lockout_failures() -> int:
    return int(getattr(settings, "ZQ_LOCKOUT_FAILURES", 5))


def lockout_minutes() -> int:
    return int(getattr(settings, "ZQ_LOCKOUT_MINUTES", 15))
