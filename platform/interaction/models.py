"""互动交流 tables (public schema, each row belongs to the site that handles it).

One ``Item`` table holds letters, 依申请公开 requests and 找错 reports: they share the writer, the
received date, the working-day deadline, the answer and the transfer; the kind says which extra
fields matter. Personal fields (name, phone, email, ID number, address) are shown only in the
handling site's admin, never on public pages.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MailboxKind(models.TextChoices):
    LEADER = "leader", _("领导信箱")
    CONSULT = "consult", _("咨询")
    COMPLAINT = "complaint", _("投诉建议")


class Mailbox(models.Model):
    """One of a site's mailboxes, with its own answer limit in working days."""

    site = models.ForeignKey("tenants.Site", on_delete=models.CASCADE, related_name="mailboxes")
    slug = models.SlugField(_("代号"), max_length=40)
    name = models.CharField(_("名称"), max_length=60)
    kind = models.CharField(_("类型"), max_length=20, choices=MailboxKind.choices)
    deadline_days = models.PositiveSmallIntegerField(_("办理时限（工作日）"), default=10)
    notify_email = models.EmailField(_("新信件通知邮箱"), blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    ordering = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("信箱")
        ordering = ["ordering", "pk"]
        constraints = [models.UniqueConstraint(fields=["site", "slug"], name="interaction_mailbox_site_slug")]

    def __str__(self) -> str:
        return self.name


class ItemKind(models.TextChoices):
    LETTER = "letter", _("信件")
    DISCLOSURE = "disclosure", _("依申请公开")
    ERROR = "error", _("网站找错")


class ItemStatus(models.TextChoices):
    PENDING = "pending", _("待办")
    ANSWERED = "answered", _("已办")


class Decision(models.TextChoices):
    """依申请公开 decision types (《政府信息公开条例》第三十六条), as the annual report counts them."""

    PUBLIC = "public", _("予以公开")
    PARTIAL = "partial", _("部分公开")
    WITHHELD = "withheld", _("不予公开")
    NOT_EXIST = "not_exist", _("本机关不掌握相关政府信息（信息不存在）")
    NOT_OURS = "not_ours", _("非本机关负责")
    UNCLEAR = "unclear", _("申请内容不明确，告知补正")
    REPEATED = "repeated", _("重复申请")
    NOT_HANDLED = "not_handled", _("不予处理")


# Decisions that must say why (不予公开, 部分公开, 不予处理) and the one that must name the body.
DECISIONS_NEEDING_REASON = {Decision.PARTIAL, Decision.WITHHELD, Decision.NOT_HANDLED}


class ApplicantType(models.TextChoices):
    CITIZEN = "citizen", _("公民")
    ORGANISATION = "organisation", _("法人或其他组织")


class Delivery(models.TextChoices):
    EMAIL = "email", _("电子邮件")
    PAPER = "paper", _("纸质文本（邮寄）")
    PICKUP = "pickup", _("当面领取")
    DISC = "disc", _("光盘")


class Item(models.Model):
    site = models.ForeignKey(
        "tenants.Site", verbose_name=_("办理站点"), on_delete=models.CASCADE, related_name="interaction_items"
    )
    kind = models.CharField(_("类别"), max_length=20, choices=ItemKind.choices)
    mailbox = models.ForeignKey(Mailbox, verbose_name=_("信箱"), null=True, blank=True, on_delete=models.SET_NULL)
    number = models.CharField(_("受理编号"), max_length=24, unique=True)
    query_code = models.CharField(_("查询码"), max_length=16, unique=True)
    # The writer (personal data: handling site's staff only).
    name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    email = models.EmailField(_("电子邮箱"), max_length=120, blank=True)
    id_number = models.CharField(_("证件号码"), max_length=30, blank=True)
    address = models.CharField(_("通信地址"), max_length=200, blank=True)
    applicant_type = models.CharField(
        _("申请人类型"), max_length=20, choices=ApplicantType.choices, default=ApplicantType.CITIZEN
    )
    organisation = models.CharField(_("单位名称"), max_length=100, blank=True)
    # What was written.
    subject = models.CharField(_("标题"), max_length=100)
    content = models.TextField(_("内容"))
    page_url = models.CharField(_("出错网址"), max_length=500, blank=True)
    delivery = models.CharField(_("获取方式"), max_length=20, choices=Delivery.choices, blank=True)
    may_publish = models.BooleanField(_("同意公开"), default=False)
    # The clock.
    received_at = models.DateTimeField(_("收到时间"), default=timezone.now)
    due_date = models.DateField(_("办理期限"))
    extended = models.BooleanField(_("已延期"), default=False)
    extension_approver = models.CharField(_("延期批准人"), max_length=50, blank=True)
    extension_reason = models.CharField(_("延期理由"), max_length=500, blank=True)
    # Who handles it on the site (a username of the site's staff; blank: the whole team).
    assignee = models.CharField(_("承办人"), max_length=150, blank=True)
    # The answer.
    status = models.CharField(_("状态"), max_length=20, choices=ItemStatus.choices, default=ItemStatus.PENDING)
    answer = models.TextField(_("答复内容"), blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answered_by = models.CharField(_("答复人"), max_length=150, blank=True)
    decision = models.CharField(_("答复类型"), max_length=20, choices=Decision.choices, blank=True)
    decision_reason = models.CharField(_("理由"), max_length=500, blank=True)
    other_body = models.CharField(_("负责机关"), max_length=100, blank=True)
    is_published = models.BooleanField(_("已公开答复"), default=False)
    transferred_from = models.ForeignKey(
        "tenants.Site",
        verbose_name=_("转自站点"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("互动事项")
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["site", "kind", "status", "due_date"])]

    def __str__(self) -> str:
        return f"{self.number} {self.subject}"

    @property
    def is_overdue(self) -> bool:
        """Pending past its deadline (today counts as in time)."""
        return self.status == ItemStatus.PENDING and timezone.localdate() > self.due_date

    @property
    def answered_on_time(self) -> bool | None:
        if self.answered_at is None:
            return None
        return timezone.localtime(self.answered_at).date() <= self.due_date


class SurveyKind(models.TextChoices):
    SURVEY = "survey", _("网上调查")
    SOLICITATION = "solicitation", _("意见征集")


class Survey(models.Model):
    """A question form open for a period; its results are published after it closes."""

    site = models.ForeignKey("tenants.Site", on_delete=models.CASCADE, related_name="surveys")
    kind = models.CharField(_("类型"), max_length=20, choices=SurveyKind.choices, default=SurveyKind.SURVEY)
    title = models.CharField(_("标题"), max_length=100)
    description = models.TextField(_("说明"), blank=True)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("截止日期"))
    publish_results = models.BooleanField(_("截止后公布结果"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("调查征集")
        ordering = ["-starts_on", "-pk"]

    def __str__(self) -> str:
        return self.title

    def is_open(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.starts_on <= today <= self.ends_on

    def results_visible(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.publish_results and today > self.ends_on


class Question(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(_("问题"), max_length=200)
    options = models.TextField(_("选项（每行一个，留空为文字回答）"), blank=True)
    ordering = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["ordering", "pk"]

    def __str__(self) -> str:
        return self.text

    @property
    def choices(self) -> list[str]:
        return [line.strip() for line in self.options.splitlines() if line.strip()]


class Response(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    answers = models.JSONField(default=dict)  # {question id (str): option text or free text}
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.survey_id}#{self.pk}"
