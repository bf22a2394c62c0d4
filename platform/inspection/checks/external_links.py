"""链接不可用 (external): links to hosts outside the cluster that did not open when the cluster-wide
pass (``inspection.external``, its own schedule) last requested them, each reported with the page
it is on. This check requests nothing itself, so a run stays fast whatever the links point at."""

from __future__ import annotations

from django.utils.translation import gettext as _

from inspection import external
from inspection.checks import DEDUCTION, Context, Finding, check
from inspection.checks.links import MAX_FINDINGS


def _reason(row) -> str:
    return _("状态码%(status)d") % {"status": row.status} if row.status else _("无法连接")


@check("external_links")
def external_links(ctx: Context) -> list[Finding]:
    links = external.site_links(ctx.site, external.cluster_hosts())
    broken = external.broken(link.href for link in links)
    findings = [
        Finding(
            "broken_external_link",
            _("链接不可用"),
            DEDUCTION,
            _("“%(title)s”（%(url)s）中的外部链接 %(link)s 无法打开（%(reason)s）。")
            % {"title": link.page_title, "url": link.page_url, "link": link.href, "reason": _reason(broken[link.href])},
            url=link.edit_url,
            points=1,
        )
        for link in links
        if link.href in broken
    ]
    return findings[:MAX_FINDINGS]
