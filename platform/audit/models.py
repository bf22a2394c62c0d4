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
    LOGIN_THROTTLED = "login_throttled", _("登录限流")
    SESSION_REVOKED = "session_revoked", _("会话失效")
    ACCOUNT_UPDATE = "account_update", _("修改账号")
    # The unified library (统一信息资源库)
    LIBRARY_CREATE = "library_create", _("新建资源")
    LIBRARY_EDIT = "library_edit", _("修改资源")
    LIBRARY_SUBMIT = "library_submit", _("资源提交审核")
    LIBRARY_APPROVE = "library_approve", _("资源审核通过")
    LIBRARY_REJECT = "library_reject", _("资源退回")
    LIBRARY_PUBLISH = "library_publish", _("发布资源")
    LIBRARY_WITHDRAW = "library_withdraw", _("撤回资源")
    LIBRARY_ATTACH = "library_attach", _("上传附件")
    LIBRARY_DETACH = "library_detach", _("删除附件")
    LIBRARY_DELETE = "library_delete", _("删除资源")
    SYNDICATE = "syndicate", _("转载资源")
    UNSYNDICATE = "unsyndicate", _("取消转载")
    # Site lifecycle: closing a site and migrating it upward (关停上移)
    CLOSURE_PLAN = "closure_plan", _("关停规划")
    CLOSURE_NOTICE = "closure_notice", _("发布关停公告")
    CLOSURE_EXECUTE = "closure_execute", _("执行迁移")
    CLOSURE_VERIFY = "closure_verify", _("迁移验证")
    CLOSURE_EXCEPTION = "closure_exception", _("验证例外")
    CLOSURE_COMPLETE = "closure_complete", _("关停完成")
    CLOSURE_ROLLBACK = "closure_rollback", _("关停回滚")
    CLOSURE_ARCHIVE = "closure_archive", _("站点归档")
    CLOSURE_RESTORE = "closure_restore", _("归档恢复")
    SITE_UPDATE = "site_update", _("修改站点")
    DOMAIN_CHANGE = "domain_change", _("域名变更")
    # Search (sitesearch): the operators' user dictionary
    SEARCH_WORD_ADD = "search_word_add", _("添加搜索词典词语")
    SEARCH_WORD_REMOVE = "search_word_remove", _("删除搜索词典词语")
    # Operations: one site's backup and restore, background tasks
    SITE_BACKUP = "site_backup", _("站点备份")
    SITE_RESTORE = "site_restore", _("站点恢复")
    TASK_RETRY = "task_retry", _("重试后台任务")
    TASK_DISCARD = "task_discard", _("放弃后台任务")
    INSPECTION_FAILING = "inspection.failing", _("网站普查新增不合格项")
    INSPECTION_REQUESTED = "inspection.requested", _("发起网站普查")
    ANNUAL_REPORT_PUBLISH = "annualreport.publish", _("发布工作年度报表")
    ANNUAL_REPORT_EDIT_PUBLISHED = "annualreport.edit_published", _("修改已发布的工作年度报表")
    OPERATOR_REPORT_FILL = "annualreport.operator_fill", _("填充监管年度报表")
    OPERATOR_REPORT_EDIT = "annualreport.operator_edit", _("修改监管年度报表")
    INTERACTION_ANSWER = "interaction.answer", _("答复互动事项")
    INTERACTION_ASSIGN = "interaction.assign", _("分派互动事项")
    INTERACTION_EXTEND = "interaction.extend", _("延期办理")
    INTERACTION_MAILBOXES = "interaction.mailboxes", _("设置信箱")
    INTERACTION_PUBLISH = "interaction.publish", _("公开互动事项")
    INTERACTION_TRANSFER = "interaction.transfer", _("转办互动事项")
    INTERACTION_TRANSFER_IN = "interaction.transfer_in", _("接收转办事项")


class AuditEvent(models.Model):
    """An immutable record. ``site`` is null for platform-level events (console, accounts)."""

    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    actor_username = models.CharField(_("操作人"), max_length=150, blank=True, db_index=True)
    site = models.ForeignKey(
        "tenants.Site", verbose_name=_("站点"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(_("操作"), max_length=40, choices=Action.choices, db_index=True)
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
