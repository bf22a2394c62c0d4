"""Forms for the account password change (any site's admin) and the console's account screens."""

from __future__ import annotations

from django import forms
from django.contrib.auth.hashers import check_password
from django.contrib.auth.password_validation import password_validators_help_text_html, validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from identity.models import Account


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
