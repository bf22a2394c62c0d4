"""RSS of a site (``/feed/``) and of one column (``/feed/<slug>/``): own articles and syndicated
library resources, newest first."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from shared_library.site_listing import syndicated_resources
from tenants.content.models import ArticlePage, ColumnPage

FEED_SIZE = 20


@dataclass(frozen=True)
class FeedItem:
    title: str
    link: str
    date: datetime.date
    description: str
    source: str


@dataclass
class FeedScope:
    site: object
    column: ColumnPage | None
    request: HttpRequest


class SiteFeed(Feed):
    """One feed class for both scopes: the whole site, or one column when a slug is given."""

    def get_object(self, request: HttpRequest, column_slug: str | None = None) -> FeedScope:
        column = None
        if column_slug:
            column = ColumnPage.objects.live().public().filter(slug=column_slug).first()
            if column is None:
                raise Http404
        return FeedScope(site=request.tenant, column=column, request=request)

    def title(self, scope: FeedScope) -> str:
        return f"{scope.site.name} - {scope.column.title}" if scope.column else scope.site.name

    def link(self, scope: FeedScope) -> str:
        return scope.column.get_url(request=scope.request) if scope.column else "/"

    def description(self, scope: FeedScope) -> str:
        return _("%(name)s 最新信息") % {"name": self.title(scope)}

    def items(self, scope: FeedScope) -> list[FeedItem]:
        pages = ArticlePage.objects.live().public()
        if scope.column:
            pages = pages.descendant_of(scope.column)
        pages = pages.order_by("-publish_date", "-first_published_at")[:FEED_SIZE]
        slug = scope.column.slug if scope.column else None
        resources = syndicated_resources(scope.site, slug)[:FEED_SIZE]
        items = [
            FeedItem(p.title, p.get_url(request=scope.request), p.publish_date, p.summary, p.source or scope.site.name)
            for p in pages
        ] + [FeedItem(r.title, r.get_path(), r.publish_date, r.summary, r.source_label) for r in resources]
        return sorted(items, key=lambda item: item.date, reverse=True)[:FEED_SIZE]

    def item_title(self, item: FeedItem) -> str:
        return item.title

    def item_link(self, item: FeedItem) -> str:
        return item.link

    def item_description(self, item: FeedItem) -> str:
        return item.description or item.title

    def item_author_name(self, item: FeedItem) -> str:
        return item.source

    def item_pubdate(self, item: FeedItem) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(item.date, datetime.time()))
