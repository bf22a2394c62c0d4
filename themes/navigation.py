"""The portal's main navigation: one list for the header (and anything else that needs it).

Fixed entries first (every site has them, national rules ask for them in this order), then the
site's own top-level columns marked "show in menus". Built once per request and kept on the request,
so a page that shows the navigation twice (header and phone menu) or a view that also needs it
never queries twice.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.utils.translation import gettext as _
from wagtail.models import Site as WagtailSite

_CACHE_ATTR = "_zq_main_nav"


@dataclass(frozen=True)
class NavItem:
    title: str
    url: str
    current: bool = False


def fixed_entries() -> list[tuple[str, str]]:
    """(title, path) of the entries every site shows, in this order."""
    return [
        (_("首页"), "/"),
        (_("政府信息公开"), "/xxgk/"),
        (_("政务服务"), "/banshi/"),
        (_("互动交流"), "/hudong/"),
    ]


# Other paths that belong to a fixed entry (the resource pages hang off the catalogue; 依申请公开 is
# part of 政府信息公开).
_ALSO_UNDER = {"/xxgk/": ("/library/", "/ysqgk/")}


def _column_entries(request: HttpRequest) -> list[tuple[str, str]]:
    wagtail_site = WagtailSite.find_for_request(request)
    if wagtail_site is None:
        return []
    columns = wagtail_site.root_page.get_children().live().public().in_menu()
    entries = []
    for column in columns:
        url = column.get_url(request)
        if url:
            entries.append((column.title, url))
    return entries


def _current_url(path: str, urls: list[str]) -> str | None:
    """The one entry the visitor is in: the longest path prefix (``/`` only on the home page)."""
    best = None
    for url in urls:
        prefixes = (url, *_ALSO_UNDER.get(url, ()))
        matches = path == "/" if url == "/" else any(path.startswith(prefix) for prefix in prefixes)
        if matches and (best is None or len(url) > len(best)):
            best = url
    return best


def build_main_nav(request: HttpRequest) -> list[NavItem]:
    """The fixed entries, then the site's columns. A column titled like a fixed entry (the skeleton's
    互动交流 column) is left out: two links with one name going to two places confuse everyone."""
    entries = fixed_entries()
    titles = {title for title, _url in entries}
    entries += [(title, url) for title, url in _column_entries(request) if title not in titles]
    current = _current_url(request.path, [url for _title, url in entries])
    return [NavItem(title, url, url == current) for title, url in entries]


def main_nav(request: HttpRequest | None) -> list[NavItem]:
    """``build_main_nav`` memoised on the request."""
    if request is None:
        return []
    cached = getattr(request, _CACHE_ATTR, None)
    if cached is None:
        cached = build_main_nav(request)
        setattr(request, _CACHE_ATTR, cached)
    return cached
