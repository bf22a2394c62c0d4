"""Console forms. Saving goes through ``identity.services``, never straight to the model."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_tenants.utils import get_public_schema_name, schema_context

from console import bulk_import, people
from console import domains as domain_services
from console import sites as site_services
from identity import services
from identity.forms import NewPasswordMixin
from identity.models import Account, Role, SiteRole
from tenants.bulk import COLUMNS as bulk_columns
from tenants.models import Site, SiteKind
from tenants.provisioning import SiteSpec
from themes.registry import theme_choices


def _apply_errors(form: forms.Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class AccountCreateForm(NewPasswordMixin, forms.ModelForm):
    class Meta:
        model = Account
        fields = ["username", "display_name", "email", "is_operator"]

    def __init__(self, *args, **kwargs) -> None:
        kwargs.pop("for_user", None)
        super().__init__(*args, **kwargs)
        self.account = self.instance

    def clean(self) -> dict:
        data = super().clean()
        self.account = Account(username=data.get("username", ""), email=data.get("email", ""))
        return data

    def save(self, commit: bool = True, *, by=None) -> Account:
        data = self.cleaned_data
        return services.create_account(
            data["username"],
            data["new_password1"],
            display_name=data["display_name"],
            email=data["email"],
            is_operator=data["is_operator"],
            by=by,
        )


class AccountEditForm(forms.ModelForm):
    new_password = forms.CharField(
        label=_("重置密码"),
        required=False,
        strip=False,
        widget=forms.PasswordInput,
        help_text=_("留空则不修改；设置后本人下次登录须先修改密码。"),
    )
    unlock = forms.BooleanField(label=_("解除锁定"), required=False)
    lock = forms.BooleanField(label=_("立即锁定"), required=False)

    class Meta:
        model = Account
        fields = ["display_name", "email", "is_active", "is_operator"]

    def __init__(self, *args, **kwargs) -> None:
        kwargs.pop("for_user", None)
        super().__init__(*args, **kwargs)

    def clean_new_password(self) -> str:
        value = self.cleaned_data["new_password"]
        if value:
            validate_password(value, user=self.instance)
        return value

    def save(self, commit: bool = True, *, by=None, request=None) -> Account:
        account = services.update_account(self.instance, by=by, request=request)
        if self.cleaned_data.get("new_password"):
            people.reset_password(account, self.cleaned_data["new_password"], by=by, request=request)
        if self.cleaned_data.get("unlock"):
            services.unlock(account, by=by, request=request)
        elif self.cleaned_data.get("lock"):
            services.lock(account, by=by, request=request)
        return account


class RoleForm(forms.ModelForm):
    """Grant (or change) a role in one step: account + site + role + columns."""

    columns_text = forms.CharField(
        label=_("可报送栏目"),
        required=False,
        help_text=_("信息报送员必填：栏目代号，用逗号分隔，例如 news, notices。"),
    )

    class Meta:
        model = SiteRole
        fields = ["account", "site", "role"]

    def __init__(self, *args, **kwargs) -> None:
        kwargs.pop("for_user", None)
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.exclude(schema_name=get_public_schema_name())
        self.fields["role"].choices = Role.choices
        if self.instance.pk:
            self.fields["account"].disabled = True
            self.fields["site"].disabled = True
            self.initial["columns_text"] = ", ".join(self.instance.columns or [])

    def clean(self) -> dict:
        data = super().clean()
        data["columns"] = [s.strip() for s in data.get("columns_text", "").replace("，", ",").split(",") if s.strip()]
        site = data.get("site")
        if data.get("role") == Role.SUBMITTER and site is not None:
            if not data["columns"]:
                self.add_error("columns_text", _("信息报送员至少要指定一个栏目。"))
            else:
                with schema_context(site.schema_name):
                    known = {column.slug for column in services.site_columns()}
                missing = [slug for slug in data["columns"] if slug not in known]
                if missing:
                    self.add_error("columns_text", _("本站没有这些栏目：%s") % "、".join(missing))
        return data

    def save(self, commit: bool = True, *, by=None, request=None) -> SiteRole:
        data = self.cleaned_data
        try:
            return services.grant_role(
                data["account"], data["site"], data["role"], columns=data["columns"], by=by, request=request
            )
        except ValidationError as exc:
            _apply_errors(self, exc)
            raise


# --- Sites ------------------------------------------------------------------------------------


def apply_errors(form: forms.Form, exc: ValidationError, aliases: dict[str, str] | None = None,
                 default: str | None = None) -> None:  # fmt: skip
    """Put a service's ValidationError on the form's fields: ``aliases`` renames model fields,
    ``default`` takes errors that name no field (else they go above the form)."""
    aliases = aliases or {}
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            field = aliases.get(field, field)
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(default if default in form.fields else None, exc.messages)


def _lines(value: str) -> list[str]:
    return [item.strip() for item in value.replace("，", ",").replace(",", "\n").splitlines() if item.strip()]


class SiteCreateForm(forms.Form):
    """What ``SiteSpec`` holds; validation beyond field shape is provisioning's (``build_site``)."""

    name = forms.CharField(label=_("站点名称"), max_length=100)
    slug = forms.SlugField(
        label=_("站点代号"),
        max_length=50,
        help_text=_("小写字母、数字和连字符，用于数据库模式和默认域名，创建后不能修改。"),
    )
    kind = forms.ChoiceField(label=_("站点类型"), choices=[c for c in SiteKind.choices if c[0] != SiteKind.PLATFORM])
    parent = forms.ModelChoiceField(label=_("上级站点"), queryset=Site.objects.none(), required=False)
    domain = forms.CharField(
        label=_("主域名"),
        max_length=253,
        required=False,
        help_text=_("留空则使用“代号.%s”。") % settings.SITE_DOMAIN_SUFFIX,
    )
    aliases = forms.CharField(
        label=_("别名域名"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("每行一个；默认永久跳转到主域名。"),
    )  # fmt: skip
    theme = forms.ChoiceField(label=_("主题"), choices=theme_choices(), initial="default")
    organiser = forms.CharField(label=_("主办单位"), max_length=100, required=False)
    operator = forms.CharField(label=_("承办单位"), max_length=100, required=False)
    contact = forms.CharField(label=_("联系方式"), max_length=200, required=False)
    site_code = forms.CharField(label=_("网站标识码"), max_length=12, required=False)
    icp_number = forms.CharField(label=_("ICP备案号"), max_length=40, required=False)
    police_number = forms.CharField(label=_("公安备案号"), max_length=40, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = site_services.parent_choices()

    def clean_slug(self) -> str:
        return self.cleaned_data["slug"].strip().lower()

    def clean_domain(self) -> str:
        value = self.cleaned_data["domain"]
        return domain_services.check_available(value) if value.strip() else ""

    def clean_aliases(self) -> list[str]:
        hosts, problems = [], []
        for host in _lines(self.cleaned_data["aliases"]):
            try:
                hosts.append(domain_services.check_available(host))
            except ValidationError as exc:
                problems.extend(exc.messages)
        if problems:
            raise ValidationError(problems)
        return hosts

    def spec(self) -> SiteSpec:
        data = self.cleaned_data
        parent = data.get("parent")
        return SiteSpec(
            name=data["name"], slug=data["slug"], kind=data["kind"], parent_slug=parent.slug if parent else "",
            domain=data["domain"], aliases=data["aliases"], theme=data["theme"], site_code=data["site_code"],
            icp_number=data["icp_number"], police_number=data["police_number"], organiser=data["organiser"],
            operator=data["operator"], contact=data["contact"],
        )  # fmt: skip


class SiteEditForm(forms.ModelForm):
    """Identity, theme and parent of an existing site; saved by ``console.sites.update_site``."""

    class Meta:
        model = Site
        fields = site_services.EDITABLE_FIELDS

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = site_services.parent_choices(self.instance)
        self.fields["site_code"].help_text = _("常见格式：10位数字（行政区划代码+序号），或 bm 加 8 位数字。")

    def changes(self) -> dict:
        return {field: self.cleaned_data[field] for field in self.Meta.fields}


class DomainForm(forms.Form):
    domain = forms.CharField(label=_("新域名"), max_length=253)
    serve_alias = forms.BooleanField(
        label=_("直接访问（不跳转）"), required=False, help_text=_("不勾选时永久跳转（301）到主域名。")
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class ThemeForm(forms.Form):
    theme = forms.ChoiceField(label=_("主题"), choices=theme_choices())


class BulkUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV 文件"),
        help_text=_("UTF-8 编码；第一行为列名：%s。别名用分号分隔。") % ", ".join(bulk_columns),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.content = bulk_import.decode_upload(upload.read())
        return upload
