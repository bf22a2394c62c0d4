"""Which years a site has published its report for: asked by every home page (the home box hook), so
it imports nothing but the model and is cached when the cache is shared by every process."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string

from annualreports.models import ReportStatus, SiteReport


def _key(site_id: int) -> str:
    return f"zq:annualreports:published:{site_id}"


def published_years(site_id: int) -> list[int]:
    """The years whose report the site published, newest first. Every home page asks, so it is cached
    when the cache is shared by every process (the routing cache's switch, on with Redis): a publish
    in one process must reach the others' home pages at once."""
    seconds = settings.ZQ_ROUTING_CACHE_SECONDS
    key = _key(site_id)
    years = cache.get(key) if seconds else None
    if years is None:
        years = list(
            SiteReport.objects.filter(site_id=site_id, status=ReportStatus.PUBLISHED)
            .order_by("-year")
            .values_list("year", flat=True)
        )
        if seconds:
            cache.set(key, years, seconds)
    return years


def forget_published(site_id: int) -> None:
    cache.delete(_key(site_id))


def home_box(request) -> str:
    """The box on a site's home page linking its newest published report (national rule: shown
    prominently on the home page); a ``zq_home_page_boxes`` hook (themes' ``{% home_boxes %}``)."""
    site = getattr(request, "tenant", None)
    if site is None or not getattr(site, "pk", None):
        return ""
    years = published_years(site.pk)
    if not years:
        return ""
    return render_to_string("annualreports/home_link.html", {"year": years[0]})
