"""After an operator resets someone's password, that person must choose their own before doing
anything else, in whichever admin (site or console) they log into next."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from identity.sessions import account_of
from tenants.views import ADMIN_PREFIX

# Admin screens a person with a forced change may still open: the change itself, and leaving.
ALLOWED_URL_NAMES = ("identity_password_change", "wagtailadmin_logout", "wagtailadmin_login", "wagtailadmin_sprite",
                     "wagtailadmin_javascript_catalog")  # fmt: skip


def _allowed_paths() -> set[str]:
    paths = set()
    for name in ALLOWED_URL_NAMES:
        try:
            paths.add(reverse(name))
        except NoReverseMatch:
            continue
    return paths


def must_change_password(user) -> bool:
    if not (user and user.is_authenticated):
        return False
    account = account_of(user)
    return bool(account and account.must_change_password)


class ForcePasswordChangeMiddleware:
    """Sends a flagged person from any admin URL to the password screen (reading the account row the
    login backend already read for this request; public pages are untouched)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith(ADMIN_PREFIX) and must_change_password(getattr(request, "user", None)):
            if request.path_info not in _allowed_paths():
                messages.warning(request, _("管理员已重置您的密码，请先设置自己的新密码。"))
                return redirect("identity_password_change")
        return self.get_response(request)
