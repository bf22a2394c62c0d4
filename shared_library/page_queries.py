"""What a ``LibraryListPage`` shows: its hand-picked resources, else its saved query.

Only resources the current site may show (syndicated to it or contributed by it) are listed, so a
page cannot be used to republish another site's material without a syndication.
"""

from __future__ import annotations

from django.db.models import Case, IntegerField, When

from shared_library.models import Resource
from shared_library.site_listing import current_site


def resources_for_list_page(page) -> list[Resource]:
    site = current_site()
    queryset = Resource.objects.public().visible_on(site).select_related("source_site", "topic", "genre")
    picked = [item.resource_id for item in page.library_items.all()]
    if picked:
        order = Case(*[When(pk=pk, then=i) for i, pk in enumerate(picked)], output_field=IntegerField())
        return list(queryset.filter(pk__in=picked).order_by(order))
    filters = {
        "kind": page.query_kind,
        "topic__code": page.query_topic,
        "genre__code": page.query_genre,
        "issuing_body": page.query_issuing_body,
    }
    queryset = queryset.filter(**{key: value for key, value in filters.items() if value})
    return list(queryset.order_by("-publish_date", "-pk")[: page.limit or 20])
