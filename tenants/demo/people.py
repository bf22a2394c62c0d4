"""Demo accounts: one operator, site editors and township submitters, one password each.

Passwords come from ``ZQ_DEMO_PASSWORD`` (default printed at the end of ``./zq demo``); they
satisfy the platform's password rules so the demo shows the real login, not a bypass.
"""

from __future__ import annotations

import os

from tenants.models import Site

DEMO_PASSWORD = os.environ.get("ZQ_DEMO_PASSWORD", "Zhanqun-Demo-2026")

# username, display name, operator?, [(site slug, role, columns)]
DEMO_PEOPLE = [
    ("operator", "市大数据中心运维", True, []),
    ("city-editor", "市政府网站编辑", False, [("jiangcheng", "editor", [])]),
    ("qingshan-editor", "青山县网站编辑", False, [("qingshan", "editor", [])]),
    ("baishui-editor", "白水县网站编辑", False, [("baishui", "editor", [])]),
    ("chengguan-clerk", "城关镇信息员", False, [("qs-chengguan", "submitter", ["news", "notices"])]),
    ("hekou-clerk", "河口镇信息员", False, [("bs-hekou", "submitter", ["news"])]),
]


def load_people() -> None:
    from identity import services
    from identity.models import Account

    for username, name, operator, roles in DEMO_PEOPLE:
        account = Account.objects.filter(username=username).first()
        if account is None:
            account = services.create_account(username, DEMO_PASSWORD, display_name=name, is_operator=operator)
        for slug, role, columns in roles:
            site = Site.objects.filter(slug=slug).first()
            if site is not None:
                services.grant_role(account, site, role, columns=columns, by="demo")


def describe_logins() -> list[str]:
    lines = []
    for username, name, operator, roles in DEMO_PEOPLE:
        where = (
            "平台控制台（运维）"
            if operator
            else "；".join(
                f"{slug}.localhost {'编辑' if role == 'editor' else '报送员（' + '、'.join(cols) + '）'}"
                for slug, role, cols in roles
            )
        )
        lines.append(f"{username:16s} 密码 {DEMO_PASSWORD}  {name}：{where}")
    return lines
