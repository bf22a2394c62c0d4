"""Console forms. Saving goes through ``identity.services``, never straight to the model."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_tenants.utils import get_public_schema_name, schema_context

from identity import services
from identity.forms import NewPasswordMixin
from identity.models import Account, Role, SiteRole
from tenants.models import Site


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
        label=_("重置密码"), required=False, strip=False, widget=forms.PasswordInput, help_text=_("留空则不修改。")
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
            from django.contrib.auth.password_validation import validate_password

            validate_password(value, user=self.instance)
        return value

    def save(self, commit: bool = True, *, by=None, request=None) -> Account:
        account = services.update_account(self.instance, by=by, request=request)
        if self.cleaned_data.get("new_password"):
            services.set_password(account, self.cleaned_data["new_password"], by=by, request=request)
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
