from django.http import HttpRequest

from themes.navigation import main_nav
from themes.registry import get_theme


def theme(request: HttpRequest) -> dict:
    """Expose the current site (tenant), its theme and the main navigation to every template.

    ``zq_nav`` is a callable so the query runs only in templates that show the navigation; the list
    itself is built once per request (``themes.navigation.main_nav`` memoises it on the request).
    """
    site = getattr(request, "tenant", None)
    return {"zq_site": site, "zq_theme": get_theme(getattr(site, "theme", None)), "zq_nav": lambda: main_nav(request)}
