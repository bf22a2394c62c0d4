"""Demo accounts: one operator, site editors and township submitters, one password each.

Passwords come from ``ZQ_DEMO_PASSWORD`` (default printed at the end of ``./zq demo``); they
satisfy the platform's password rules so the demo shows the real login, not a bypass.
"""

from __future__ import annotations

import os

from tenants.models import Site

DEMO_PASSWORD = os.environ.get("ZQ_DEMO_PASSWORD", "Zhanqun-Demo-2026")

# username, display name, operator?, [(site slug, role, columns)]. Every role and every flow:
# chengguan-clerk submits on qs-chengguan -> qingshan-editor approves (its 待审核 queue, derived
# from the county role: townships are reviewed by their parent) -> live on qs-chengguan; a
# department editor publishes on their own site; the operator runs the console.
DEMO_PEOPLE = [
    ("operator", "市大数据中心运维", True, []),
    ("city-editor", "市政府网站编辑", False, [("jiangcheng", "editor", [])]),
    ("qingshan-editor", "青山县网站编辑", False, [("qingshan", "editor", [])]),
    ("baishui-editor", "白水县网站编辑", False, [("baishui", "editor", [])]),
    ("edu-editor", "市教育局网站编辑", False, [("jc-edu", "editor", [])]),
    ("chengguan-clerk", "城关镇信息员", False, [("qs-chengguan", "submitter", ["news", "notices"])]),
    ("hekou-clerk", "河口镇信息员", False, [("bs-hekou", "submitter", ["news"])]),
]
DEMO_EMAIL_DOMAIN = "demo.zhanqun.example"  # Wagtail's notifications go somewhere readable (console mail)


def load_people() -> None:
    from identity import services
    from identity.models import Account

    for username, name, operator, roles in DEMO_PEOPLE:
        account = Account.objects.filter(username=username).first()
        if account is None:
            account = services.create_account(
                username,
                DEMO_PASSWORD,
                display_name=name,
                email=f"{username}@{DEMO_EMAIL_DOMAIN}",
                is_operator=operator,
            )
        for slug, role, columns in roles:
            site = Site.objects.filter(slug=slug).first()
            if site is not None:
                services.grant_role(account, site, role, columns=columns, by="demo")


def _reviews(slug: str) -> str:
    """The sites below ``slug`` whose submissions its editors review (待审核)."""
    children = [
        child
        for child in Site.objects.filter(parent__slug=slug, status__in=["active", "closing"])
        if child.reviewed_by_parent
    ]
    return "，审核 " + "、".join(f"{child.slug}.localhost" for child in children) if children else ""


def describe_logins() -> list[str]:
    lines = []
    for username, name, operator, roles in DEMO_PEOPLE:
        where = (
            "平台控制台（运维）"
            if operator
            else "；".join(
                f"{slug}.localhost "
                + ("编辑" + _reviews(slug) if role == "editor" else "报送员（" + "、".join(cols) + "）")
                for slug, role, cols in roles
            )
        )
        lines.append(f"{username:16s} 密码 {DEMO_PASSWORD}  {name}：{where}")
    lines.append(
        "审核流程：chengguan-clerk 在 qs-chengguan.localhost/admin/ 写文章并“提交审核” → "
        "qingshan-editor 在 qingshan.localhost/admin/review/（待审核）通过 → 文章在 qs-chengguan.localhost 上线；"
        "退回的意见在报送员首页“我的报送”中。"
    )
    return lines
