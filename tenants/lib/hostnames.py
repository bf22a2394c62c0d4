"""Hostname rules for tenant domains.

Why not Django's URL validator: we need the exact rule Django's host header check applies
(letters, digits, ``-`` and dots; no ``_``), or a saved domain would later answer nothing.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_LABEL = r"(?!-)[a-z0-9-]{1,63}(?<!-)"
_HOSTNAME_RE = re.compile(rf"^{_LABEL}(\.{_LABEL})*$")


def validate_hostname(value: str) -> None:
    host = (value or "").strip().lower()
    if not host or len(host) > 253 or not _HOSTNAME_RE.match(host):
        raise ValidationError(
            _("“%(value)s”不是有效的域名：只能包含小写字母、数字、连字符和点，不能含下划线或端口。"),
            params={"value": value},
            code="invalid_hostname",
        )
    if host.rsplit(".", 1)[-1].isdigit():  # 10.0.0.8, 127.1: an IP literal (no top-level domain is numeric)
        raise ValidationError(
            _("“%(value)s”是IP地址，站点只能使用域名。"), params={"value": value}, code="ip_literal"
        )


def slug_to_label(slug: str) -> str:
    """A DNS label from a site slug (``_`` is not allowed in hosts, so it becomes ``-``)."""
    return re.sub(r"[^a-z0-9-]+", "-", slug.lower()).strip("-")[:63]
