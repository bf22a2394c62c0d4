"""Who may use the console: operators, on the platform's own domain (the public schema) only.

The Wagtail admin URLs are the same on every host, so every console view is wrapped: on a site's
host it does not exist (404); on the platform host anyone but an operator gets 403.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404, HttpRequest
from django_tenants.utils import get_public_schema_name
from wagtail.admin.menu import MenuItem


def on_platform() -> bool:
    return connection.schema_name == get_public_schema_name()


def is_operator(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_superuser)


def operator_only(view: Callable) -> Callable:
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        if not on_platform():
            raise Http404
        if not is_operator(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


class OperatorOnlyViewSetMixin:
    """Wrap every URL of a Wagtail viewset with :func:`operator_only`."""

    def get_urlpatterns(self):
        patterns = super().get_urlpatterns()
        for pattern in patterns:
            pattern.callback = operator_only(pattern.callback)
        return patterns


class OperatorMenuItem(MenuItem):
    """A console menu item: shown to operators on the platform's host only."""

    def is_shown(self, request) -> bool:
        return on_platform() and is_operator(request.user)
