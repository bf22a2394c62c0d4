"""Identity in every Wagtail admin: the account password screen and its entry in the account menu."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext as _
from wagtail import hooks

from identity.views import PasswordChangeView


@hooks.register("register_admin_urls")
def register_password_url():
    return [path("identity/password/", PasswordChangeView.as_view(), name="identity_password_change")]


@hooks.register("register_account_menu_item")
def password_menu_item(request):
    return {
        "url": reverse("identity_password_change"),
        "label": _("修改密码"),
        "help_text": _("一个密码用于平台上所有站点。"),
    }
