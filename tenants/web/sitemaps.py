"""sitemap.xml of one site (Django's sitemaps framework): its live public pages and the library
resources that are canonical here, every URL absolute on the site's primary domain.

Only canonical URLs are listed (what search engines ask of a sitemap): a library resource
syndicated here from another site is canonical on its source site (``shared_library.views``) and is
listed in that site's sitemap; resources of the platform library with no source site are listed by
the city portal, where their canonical link points.
"""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.http import HttpRequest
from wagtail.models import Page
from wagtail.models import Site as WagtailSite

from shared_library.models import Resource, Syndication
from tenants.addresses import site_root
from tenants.relations import primary_domain, relations_for


class _SiteSitemap(Sitemap):
    """Absolute URLs on the primary domain, with the visitor's port (the demo's :8000)."""

    limit = 5000

    def __init__(self, request: HttpRequest):
        self.request = request
        self.site = request.tenant
        self.protocol = request.scheme

    def get_domain(self, site=None) -> str:
        _root_scheme, _sep, netloc = _primary_netloc(self.request).partition("://")
        return netloc


def _primary_netloc(request: HttpRequest) -> str:
    return site_root(primary_domain(request.tenant), request)


class PageSitemap(_SiteSitemap):
    def items(self):
        wagtail_site = WagtailSite.find_for_request(self.request)
        if wagtail_site is None:
            return Page.objects.none()
        self.root_path = wagtail_site.root_page.url_path
        return (
            Page.objects.live()
            .public()
            .descendant_of(wagtail_site.root_page, inclusive=True)
            .only("url_path", "last_published_at", "first_published_at", "latest_revision_created_at")
            .order_by("path")
        )

    def location(self, page: Page) -> str:
        return "/" + page.url_path[len(self.root_path) :]

    def lastmod(self, page: Page):
        return page.last_published_at or page.latest_revision_created_at or page.first_published_at


class ResourceSitemap(_SiteSitemap):
    def items(self):
        resources = Resource.objects.public().visible_on(self.site)
        platform_own = resources.filter(source_site__isnull=True)
        portal = relations_for(self.site).portal
        if portal is not None:  # those shown on the portal are canonical (and listed) there
            platform_own = platform_own.exclude(
                pk__in=Syndication.objects.filter(site_id=portal.pk).values("resource_id")
            )
        listed = resources.filter(source_site=self.site) | platform_own
        return listed.only("pk", "updated_at").order_by("-publish_date", "-pk")

    def location(self, resource: Resource) -> str:
        return resource.get_path()

    def lastmod(self, resource: Resource):
        return resource.updated_at


def site_sitemaps(request: HttpRequest) -> dict[str, Sitemap]:
    return {"pages": PageSitemap(request), "library": ResourceSitemap(request)}
