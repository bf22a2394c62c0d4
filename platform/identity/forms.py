"""Forms for the login (every admin), the account password change (any site's admin) and the
console's account screens."""

from __future__ import annotations

import math

from django import forms
from django.contrib.auth.hashers import check_password
from django.contrib.auth.password_validation import password_validators_help_text_html, validate_password
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils.translation import gettext_lazy as _
from django_tenants.utils import get_public_schema_name
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm

from identity import throttle
from identity.login import Refusal, reason_of
from identity.models import Account, lockout_failures, lockout_minutes


class LoginForm(WagtailLoginForm):
    """Wagtail's login form with the platform's answers (``WAGTAILADMIN_USER_LOGIN_FORM``).

    Every refusal before a correct password gets the same words, whatever the reason (unknown
    name, wrong password, locked, disabled), so the form never tells an outsider which names
    exist or which accounts are locked. A correct password without a role here is said plainly,
    with who grants roles. A throttled address is told to wait: that reveals nothing about any
    account."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Wagtail's password field has no label: Django would show the English field name.
        self.fields["password"].label = _("密码")

    def get_invalid_login_error(self) -> ValidationError:
        reason = reason_of(self.request)
        if reason == Refusal.NO_ROLE:
            if connection.schema_name == get_public_schema_name():
                message = _(
                    "密码正确，但该账号不是平台运维人员，不能登录平台控制台。"
                    "运维权限由平台运维人员在控制台的“账号管理”中设置。"
                )
            else:
                message = _(
                    "密码正确，但该账号在本站没有角色，不能登录本站管理后台。"
                    "请联系本站的站点编辑，由平台运维人员在控制台为您授予本站的角色。"
                )
            return ValidationError(message, code="no_role")
        if reason == Refusal.THROTTLED:
            minutes = math.ceil(throttle.window_seconds() / 60)
            return ValidationError(
                _("从您的网络地址登录失败的次数过多，尝试过于频繁，请 %(minutes)d 分钟后再试。"),
                code="throttled",
                params={"minutes": minutes},
            )
        return ValidationError(
            _(
                "登录名或密码不正确，请重新输入。连续输错 %(failures)d 次后账号将锁定 %(minutes)d 分钟；"
                "如无法登录，请联系平台运维人员。"
            ),
            code="invalid_login",
            params={"failures": lockout_failures(), "minutes": lockout_minutes()},
        )


class NewPasswordMixin(forms.Form):
    new_password1 = forms.CharField(
        label=_("新密码"), widget=forms.PasswordInput, strip=False, help_text=password_validators_help_text_html()
    )
    new_password2 = forms.CharField(label=_("再次输入新密码"), widget=forms.PasswordInput, strip=False)

    account: Account

    def clean_new_password2(self) -> str:
        first, second = self.cleaned_data.get("new_password1"), self.cleaned_data.get("new_password2")
        if first and second and first != second:
            raise ValidationError(_("两次输入的密码不一致。"))
        if second:
            validate_password(second, user=self.account)
        return second


class PasswordChangeForm(NewPasswordMixin):
    """The person changes their one password (for every site) after proving the current one."""

    old_password = forms.CharField(label=_("当前密码"), widget=forms.PasswordInput, strip=False)
    field_order = ["old_password", "new_password1", "new_password2"]

    def __init__(self, account: Account, *args, **kwargs) -> None:
        self.account = account
        super().__init__(*args, **kwargs)

    def clean_old_password(self) -> str:
        value = self.cleaned_data["old_password"]
        if not check_password(value, self.account.password):
            raise ValidationError(_("当前密码不正确。"))
        return value
