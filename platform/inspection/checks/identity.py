"""页脚标识信息: each blank identity field deducts points (basic information on the national form)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from inspection.checks import DEDUCTION, Context, Finding, check
from tenants.footer_identity import missing_identity


@check("identity")
def identity(ctx: Context) -> list[Finding]:
    return [
        Finding(
            f"identity_{item.field}",
            _("基本信息：%(label)s") % {"label": item.label},  # one indicator per field, told apart on the charts
            DEDUCTION,
            _("页脚缺少%(label)s：%(meaning)s请联系平台运维人员在站群管理后台补充。")
            % {"label": item.label, "meaning": item.meaning},
            url="/admin/",
            points=2,
        )
        for item in missing_identity(ctx.site)
    ]
