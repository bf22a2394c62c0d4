"""A site's absolute public address: one place for every absolute link the platform writes (canonical
links, sitemaps, cluster links, search hits on other sites, e-mails, closure notices and reports).

With a request, its scheme and port are kept (the demo serves every site on one port). Without one
(e-mails, background jobs, reports), ``ZQ_SITE_SCHEME`` and ``ZQ_SITE_PORT`` (blank: the scheme's
default port) say how the public reaches the sites.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.http.request import split_domain_port

from tenants.models import Site


def site_root(domain: str, request: HttpRequest | None = None) -> str:
    """``scheme://domain[:port]``; blank for no domain."""
    if not domain:
        return ""
    if request is None:
        port = settings.ZQ_SITE_PORT
        return f"{settings.ZQ_SITE_SCHEME}://{domain}:{port}" if port else f"{settings.ZQ_SITE_SCHEME}://{domain}"
    _host, port = split_domain_port(request.get_host())
    return f"{request.scheme}://{domain}:{port}" if port else f"{request.scheme}://{domain}"


def root_url(site: Site, request: HttpRequest | None = None) -> str:
    """``site_root`` of the site's primary domain; blank for a site without a domain."""
    return site_root(site.primary_domain, request)


def site_url(site: Site) -> str:
    """``root_url`` plus ``/``: a site's home page."""
    root = root_url(site)
    return f"{root}/" if root else ""
