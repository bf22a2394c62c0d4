"""``{% closure_banner %}``: the closure notice on a closing site's home page (nothing otherwise).

Costs nothing on an active site: the site row (already on the request) says whether it is closing,
and only then is the closure looked up.
"""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string

from tenants.closure.addresses import section_url
from tenants.closure.models import Closure, ClosureStatus
from tenants.closure.plan import notice_items
from tenants.models import SiteStatus

register = template.Library()


@register.simple_tag(takes_context=True)
def closure_banner(context) -> str:
    request = context.get("request")
    site = getattr(request, "tenant", None)
    if site is None or getattr(site, "status", None) != SiteStatus.CLOSING:
        return ""
    closure = (
        Closure.objects.filter(site_id=site.pk, status__in=[ClosureStatus.NOTICE, ClosureStatus.EXECUTING])
        .select_related("target")
        .first()
    )
    if closure is None:
        return ""
    notice = notice_items(closure).get("x")
    return render_to_string(
        "closure/notice_banner.html",
        {"closure": closure, "new_url": section_url(closure), "notice_path": notice.data.get("path") if notice else ""},
    )
