"""Serve anonymous visitors whole pages from the cache; store what is safe to share.

Sits after host routing (unknown hosts, closed sites, redirecting aliases and suspended sites are
answered before it, so a 503 or 301 is never hidden behind a cached 200) and before sessions, CSRF
and authentication, which a cached page never needs.

Served from / stored into the cache only when all of these hold:
- ``GET`` or ``HEAD``, a site (not the platform console), the site active or closing;
- not the admin, documents (guarded downloads), media or static files;
- the request carries no cookie (other than ``ZQ_PAGE_CACHE_IGNORED_COOKIES``) and no
  ``Authorization``: a logged-in editor, a visitor holding a CSRF token or a preference cookie always
  gets a freshly rendered page and never fills the cache;
- the response is a 200, not streamed, sets no cookie, is not ``private``/``no-store``/``no-cache``,
  is not compressed, varies on nothing but ``Cookie``/``Accept-Encoding``, and used no CSP nonce (a
  nonce is per response). 404s are not cached: any made-up URL would take a cache entry.

It also counts each visitor's page view of a site (``tenants.visits``), cached or not, since it is
the one place that sees both.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import cc_delim_re

from tenants import visits
from tenants.models import SiteStatus
from tenants.pagecache import store

_EXCLUDED_PREFIXES = ("/admin/", "/documents/", "/django-admin/")
_ALLOWED_VARY = {"cookie", "accept-encoding"}
_NOT_SHARED = {"private", "no-store", "no-cache"}
# Added by the middlewares outside this one on every response, hit or miss: not stored.
_NOT_STORED_HEADERS = {"set-cookie", "x-cache", "content-length"}


def _is_public_page(request: HttpRequest) -> bool:
    """A page of a running site that the public sees (not the console, admin, downloads or files)."""
    site = getattr(request, "tenant", None)
    if site is None or getattr(site, "pk", None) is None or getattr(site, "is_platform", True):
        return False
    if site.status not in (SiteStatus.ACTIVE, SiteStatus.CLOSING):
        return False
    path = request.path_info
    return not (path.startswith(_EXCLUDED_PREFIXES) or path.startswith((settings.MEDIA_URL, settings.STATIC_URL)))


def _request_is_cacheable(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD") or not store.enabled() or not _is_public_page(request):
        return False
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    ignored = set(settings.ZQ_PAGE_CACHE_IGNORED_COOKIES)
    return all(name in ignored for name in request.COOKIES)


def _response_is_shareable(request: HttpRequest, response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if response.has_header("Content-Encoding"):
        return False
    directives = {d.split("=")[0].strip().lower() for d in cc_delim_re.split(response.get("Cache-Control", ""))}
    if directives & _NOT_SHARED:
        return False
    vary = {v.strip().lower() for v in cc_delim_re.split(response.get("Vary", "")) if v.strip()}
    if vary - _ALLOWED_VARY or "*" in vary:
        return False
    return not isinstance(getattr(request, "_csp_nonce", None), str)


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self._respond(request)
        # The visit count (tenants.visits): one in-memory increment, on hits and misses alike.
        if response.status_code == 200 and visits.is_visitor(request) and _is_public_page(request):
            visits.count(request.tenant.pk)
        return response

    def _respond(self, request: HttpRequest) -> HttpResponse:
        if not _request_is_cacheable(request):
            return self.get_response(request)
        site_id = request.tenant.pk
        full_path = request.get_full_path()
        found = store.lookup(site_id, full_path)
        if found.entry is not None:
            response = HttpResponse(found.entry["content"], status=found.entry["status"])
            for name, value in found.entry["headers"]:
                response[name] = value
            response["Content-Length"] = str(len(response.content))  # keep-alive clients need it
            response["X-Cache"] = "HIT"
            return response
        response = self.get_response(request)
        if _response_is_shareable(request, response):
            headers = [(k, v) for k, v in response.items() if k.lower() not in _NOT_STORED_HEADERS]
            store.put(site_id, full_path, found.generation, response.status_code, headers, response.content)
            response["X-Cache"] = "MISS"
        return response
