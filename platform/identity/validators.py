"""Password rules beyond Django's own, as a government system's password policy expects."""

from __future__ import annotations

from django.contrib.auth.password_validation import MinimumLengthValidator as _DjangoMinimumLength
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class CharacterClassValidator:
    """At least ``min_classes`` of: lower-case, upper-case, digits, other characters."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        classes = sum(
            [
                any(c.islower() for c in password),
                any(c.isupper() for c in password),
                any(c.isdigit() for c in password),
                any(not c.isalnum() for c in password),
            ]
        )
        if classes < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self) -> str:
        return _("密码须至少包含大写字母、小写字母、数字、特殊字符中的 %(n)d 类。") % {"n": self.min_classes}


class MinimumLengthValidator(_DjangoMinimumLength):
    """Django's rule with a Chinese message: its zh-hans catalogue leaves this plural untranslated."""

    def get_error_message(self) -> str:
        return _("密码太短，至少需要 %(min_length)d 个字符。") % {"min_length": self.min_length}

    def get_help_text(self) -> str:
        return _("密码至少需要 %(min_length)d 个字符。") % {"min_length": self.min_length}
