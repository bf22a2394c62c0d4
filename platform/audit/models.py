"""One audit log for the whole cluster: who did what, where (which site), when, from which address."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    LOGIN = "login", _("登录")
    LOGIN_FAILED = "login_failed", _("登录失败")
    LOGOUT = "logout", _("退出登录")
    PUBLISH = "publish", _("发布")
    UNPUBLISH = "unpublish", _("撤销发布")
    SUBMIT = "submit", _("提交审核")
    APPROVE = "approve", _("审核通过")
    REJECT = "reject", _("退回修改")
    ROLE_GRANT = "role_grant", _("授予角色")
    ROLE_REVOKE = "role_revoke", _("撤销角色")
    PROVISION = "provision", _("开通站点")
    CLOSURE = "closure", _("关停站点")
    PASSWORD_CHANGE = "password_change", _("修改密码")
    LOCKOUT = "lockout", _("账号锁定")


class AuditEvent(models.Model):
    """An immutable record. ``site`` is null for platform-level events (console, accounts)."""

    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    actor_username = models.CharField(_("操作人"), max_length=150, blank=True, db_index=True)
    site = models.ForeignKey(
        "tenants.Site", verbose_name=_("站点"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(_("操作"), max_length=20, choices=Action.choices, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=100, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象"), max_length=255, blank=True)
    details = models.JSONField(_("详情"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("IP地址"), null=True, blank=True)

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计日志")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_username} {self.get_action_display()} {self.object_repr}"

    @property
    def site_name(self) -> str:
        return self.site.name if self.site_id else str(_("平台"))
