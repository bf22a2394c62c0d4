"""Start-up check: a mistyped ``ZQ_TRUSTED_PROXIES`` entry would silently stop trusting a proxy."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, register

from audit.log import parse_networks


@register(Tags.security)
def check_trusted_proxies(app_configs=None, **kwargs) -> list[Error]:
    _networks, invalid = parse_networks(getattr(settings, "ZQ_TRUSTED_PROXIES", ()) or ())
    if not invalid:
        return []
    return [
        Error(
            f"ZQ_TRUSTED_PROXIES 中有无效的地址：{', '.join(invalid)}",
            hint="请填写 IP 地址或 CIDR 网段，用英文逗号分隔，例如 10.0.0.0/8,192.0.2.1。",
            id="audit.E001",
        )
    ]
