from django.http import HttpRequest
from wagtail.models import Site as WagtailSite

from themes.registry import get_theme


def theme(request: HttpRequest) -> dict:
    """Expose the current site (tenant), its theme and its top-level columns to every template.

    ``zq_nav`` is a callable so the query runs only in templates that show the navigation, and it is
    memoised on the request: a template reads it more than once (``{% if %}`` then ``{% for %}``),
    and each read used to build the navigation again.
    """
    site = getattr(request, "tenant", None)

    def nav():
        if not hasattr(request, "_zq_nav"):
            request._zq_nav = _top_level_pages(request)
        return request._zq_nav

    return {"zq_site": site, "zq_theme": get_theme(getattr(site, "theme", None)), "zq_nav": nav}


def _top_level_pages(request: HttpRequest) -> list:
    wagtail_site = WagtailSite.find_for_request(request)
    if wagtail_site is None:
        return []
    return list(wagtail_site.root_page.get_children().live().in_menu())
