from django.http import HttpRequest

from themes.registry import get_theme


def theme(request: HttpRequest) -> dict:
    """Expose the current site (tenant), its theme and its top-level columns to every template.

    ``zq_nav`` is a callable so the query runs only in templates that show the navigation.
    """
    site = getattr(request, "tenant", None)

    def nav():
        from wagtail.models import Site as WagtailSite

        wagtail_site = WagtailSite.find_for_request(request)
        if wagtail_site is None:
            return []
        return list(wagtail_site.root_page.get_children().live().in_menu())

    return {"zq_site": site, "zq_theme": get_theme(getattr(site, "theme", None)), "zq_nav": nav}
