"""Hostname rules for tenant domains, and how a request's host is matched to them.

Why not Django's URL validator: we need the exact rule Django's host header check applies
(letters, digits, ``-`` and dots; no ``_``), or a saved domain would later answer nothing.

Why IP literals are refused: a site must be reached by its name. A domain row ``127.0.0.1`` (or
``2130706433``, ``0x7f000001``, ``127.1`` — browsers and curl read all of these as IPv4 addresses)
would make that site answer every request sent to the server's address.

Why ``www.`` gets its own rule: routing matches the exact host first and only then the host without
``www.`` (so ``www.x.gov.cn`` reaches the site of ``x.gov.cn`` when nobody registered it). A ``www.``
name and its bare twin must therefore belong to the same site, or one site would answer for the other.
"""

from __future__ import annotations

import ipaddress
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tenants.lib.plain_text import shorten

_LABEL = r"(?!-)[a-z0-9-]{1,63}(?<!-)"
_HOSTNAME_RE = re.compile(rf"^{_LABEL}(\.{_LABEL})*$")
# WHATWG URL parsing treats a host whose last label is a number (decimal, 0x-hex or 0-octal) as IPv4.
_NUMERIC_LABEL_RE = re.compile(r"^(0x[0-9a-f]*|[0-9]+)$")
WWW = "www."


def normalise_hostname(value: str) -> str:
    """The form domains are stored and compared in: no surrounding space, lower case."""
    return (value or "").strip().lower()


def is_ip_literal(host: str) -> bool:
    """True for anything a browser would send to an address rather than resolve as a name."""
    host = normalise_hostname(host).strip("[]").rstrip(".")
    if not host:
        return False
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        pass
    if ":" in host:  # IPv6-ish; never a valid hostname either
        return True
    return bool(_NUMERIC_LABEL_RE.match(host.rsplit(".", 1)[-1]))


def validate_hostname(value: str) -> None:
    host = normalise_hostname(value)
    if is_ip_literal(host):
        raise ValidationError(
            _("“%(value)s”是 IP 地址，不能作为站点域名：站点只能用域名访问。"),
            params={"value": shorten(value)},
            code="ip_address",
        )
    if not host or len(host) > 253 or not _HOSTNAME_RE.match(host):
        raise ValidationError(
            _("“%(value)s”不是有效的域名：只能包含小写字母、数字、连字符和点，不能含下划线或端口。"),
            params={"value": shorten(value)},
            code="invalid_hostname",
        )
    if host.rsplit(".", 1)[-1].isdigit():  # 10.0.0.8, 127.1: an IP literal (no top-level domain is numeric)
        raise ValidationError(
            _("“%(value)s”是IP地址，站点只能使用域名。"), params={"value": value}, code="ip_literal"
        )


def www_twin(host: str) -> str:
    """``www.x`` ↔ ``x``: the other name routing treats as the same site."""
    return host[len(WWW) :] if host.startswith(WWW) else WWW + host


def routing_candidates(host: str) -> list[str]:
    """Domain values to look a request's host up by, best first: the exact host, then without ``www.``."""
    host = normalise_hostname(host)
    if host.startswith(WWW) and len(host) > len(WWW):
        return [host, host[len(WWW) :]]
    return [host]


def slug_to_label(slug: str) -> str:
    """A DNS label from a site slug (``_`` is not allowed in hosts, so it becomes ``-``)."""
    return re.sub(r"[^a-z0-9-]+", "-", slug.lower()).strip("-")[:63]
