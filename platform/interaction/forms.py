"""Public forms: what a citizen may send, with size limits, a captcha and Chinese errors."""

from __future__ import annotations

from captcha.fields import CaptchaField
from django import forms
from django.utils.translation import gettext_lazy as _

from interaction.models import ApplicantType, Delivery, Item, Survey

CONTENT_MAX = 3000


class CaptchaMixin(forms.Form):
    captcha = CaptchaField(
        label=_("验证码"),
        error_messages={"invalid": _("验证码错误，请重新输入。"), "required": _("请输入验证码。")},
    )


def _require_contact(form: forms.Form, cleaned: dict) -> None:
    if not cleaned.get("phone") and not cleaned.get("email"):
        form.add_error("phone", _("请至少留下联系电话或电子邮箱中的一项，以便答复。"))


class LetterForm(CaptchaMixin, forms.ModelForm):
    field_order = ["name", "phone", "email", "subject", "content", "may_publish", "captcha"]

    class Meta:
        model = Item
        fields = ["name", "phone", "email", "subject", "content", "may_publish"]
        labels = {"may_publish": _("同意公开我的来信和答复（不公开姓名和联系方式）")}
        widgets = {"content": forms.Textarea(attrs={"rows": 8, "maxlength": CONTENT_MAX})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["content"].max_length = CONTENT_MAX
        self.fields["content"].validators.append(forms.fields.validators.MaxLengthValidator(CONTENT_MAX))

    def clean(self):
        cleaned = super().clean()
        _require_contact(self, cleaned)
        return cleaned


class DisclosureForm(CaptchaMixin, forms.ModelForm):
    class Meta:
        model = Item
        fields = [
            "applicant_type",
            "name",
            "organisation",
            "id_number",
            "phone",
            "email",
            "address",
            "subject",
            "content",
            "delivery",
        ]
        labels = {
            "name": _("姓名（组织填联系人）"),
            "subject": _("所需政府信息的名称"),
            "content": _("所需政府信息的描述（文件名称、文号或便于查询的其他特征）"),
            "delivery": _("获取信息的方式"),
        }
        widgets = {
            "applicant_type": forms.RadioSelect,
            "delivery": forms.RadioSelect,
            "content": forms.Textarea(attrs={"rows": 6, "maxlength": CONTENT_MAX}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delivery"].required = True
        self.fields["delivery"].choices = Delivery.choices
        self.fields["applicant_type"].choices = ApplicantType.choices
        self.fields["content"].validators.append(forms.fields.validators.MaxLengthValidator(CONTENT_MAX))

    def clean(self):
        cleaned = super().clean()
        _require_contact(self, cleaned)
        if cleaned.get("applicant_type") == ApplicantType.ORGANISATION and not cleaned.get("organisation"):
            self.add_error("organisation", _("法人或其他组织请填写单位名称。"))
        if cleaned.get("delivery") == Delivery.EMAIL and not cleaned.get("email"):
            self.add_error("email", _("选择电子邮件获取时请填写电子邮箱。"))
        return cleaned


class ErrorReportForm(CaptchaMixin, forms.ModelForm):
    class Meta:
        model = Item
        fields = ["page_url", "subject", "content", "name", "email"]
        labels = {
            "page_url": _("出错页面网址"),
            "subject": _("错误类型（如：错别字、链接无法打开、内容过期）"),
            "content": _("错误描述"),
            "name": _("您的称呼（选填）"),
            "email": _("电子邮箱（选填，用于告知处理结果）"),
        }
        widgets = {"content": forms.Textarea(attrs={"rows": 5, "maxlength": CONTENT_MAX})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = False
        self.fields["page_url"].required = True
        self.fields["content"].validators.append(forms.fields.validators.MaxLengthValidator(CONTENT_MAX))


class LookupForm(forms.Form):
    code = forms.CharField(label=_("查询码"), max_length=30, error_messages={"required": _("请输入查询码。")})


class SurveyForm(CaptchaMixin):
    """One field per question: a radio list for choices, a text box otherwise."""

    def __init__(self, survey: Survey, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(survey.questions.all())
        fields = {}
        for question in self.questions:
            name = f"q{question.pk}"
            if question.choices:
                fields[name] = forms.ChoiceField(
                    label=question.text,
                    choices=[(choice, choice) for choice in question.choices],
                    widget=forms.RadioSelect,
                    error_messages={"required": _("请回答此题。"), "invalid_choice": _("请从选项中选择。")},
                )
            else:
                fields[name] = forms.CharField(
                    label=question.text,
                    max_length=1000,
                    widget=forms.Textarea(attrs={"rows": 3, "maxlength": 1000}),
                    error_messages={"required": _("请回答此题。")},
                )
        captcha = self.fields.pop("captcha")
        self.fields.update(fields)
        self.fields["captcha"] = captcha

    def answers(self) -> dict[str, str]:
        return {str(question.pk): self.cleaned_data[f"q{question.pk}"] for question in self.questions}
