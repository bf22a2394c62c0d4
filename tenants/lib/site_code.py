"""Site identification code (网站标识码) checks, as warnings (the national format is inferred)."""

from __future__ import annotations

import re

_CODE_RE = re.compile(r"^(\d{10}|bm\d{8})$")


def site_code_warnings(code: str) -> list[str]:
    if not code:
        return ["未填写网站标识码。"]
    if not _CODE_RE.match(code):
        return [f"网站标识码“{code}”与常见格式（10位数字，或 bm 加 8 位数字）不一致，请核对。"]
    return []
