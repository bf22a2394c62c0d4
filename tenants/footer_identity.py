"""Footer identity (页脚标识信息) that national rules require on every government site.

One function says what a site is missing, so the editors' admin flag, the console and (later)
inspection agree. The fields live on ``tenants.Site`` and only platform operators edit them (in the
console), which is why the flag tells editors whom to ask rather than offering a form.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from tenants.models import Site


@dataclass(frozen=True)
class IdentityField:
    field: str
    label: str
    meaning: str  # what the national rule asks for, shown next to the gap


IDENTITY_FIELDS: tuple[IdentityField, ...] = (
    IdentityField("organiser", _("主办单位"), _("网站的主办机关，须在页脚标明。")),
    IdentityField("operator", _("承办单位"), _("负责网站日常运维的单位，须在页脚标明。")),
    IdentityField("contact", _("联系方式"), _("公众联系网站的电话或邮箱，须在页脚标明。")),
    IdentityField("site_code", _("网站标识码"), _("政府网站的唯一标识（通常10位数字），须在页脚标明。")),
    IdentityField("icp_number", _("ICP备案号"), _("工业和信息化部的ICP备案编号，须在页脚标明并链接到备案查询网站。")),
    IdentityField(
        "police_number", _("公安备案号"), _("公安机关互联网站备案编号，须在页脚标明并链接到公安备案查询网站。")
    ),
)


def missing_identity(site: Site) -> list[IdentityField]:
    """The identity fields this site leaves blank, in footer order."""
    return [item for item in IDENTITY_FIELDS if not (getattr(site, item.field, "") or "").strip()]


def missing_identity_fields(site: Site) -> list[tuple[str, str]]:
    """``[(field, label), …]`` of what the site's footer lacks (empty when complete)."""
    return [(item.field, str(item.label)) for item in missing_identity(site)]
