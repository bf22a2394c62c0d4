"""``{% annual_report_link %}``: the latest published 《政府网站工作年度报表》 on a site's home page
(national rule: shown prominently on the home page). No query on a warm cache: the published years
are cached per site and dropped when a report is published or changed."""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string

from annualreports.published import published_years

register = template.Library()


@register.simple_tag(takes_context=True)
def annual_report_link(context) -> str:
    request = context.get("request")
    site = getattr(request, "tenant", None)
    if site is None or not getattr(site, "pk", None):
        return ""
    years = published_years(site.pk)
    if not years:
        return ""
    return render_to_string("annualreports/home_link.html", {"year": years[0]})
