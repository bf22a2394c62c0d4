"""New pages under one parent are created one at a time.

Why: two people saving a new article in the same column at the same moment both picked the same
day number for its URL (``content.models.dated_slug`` counts the day's existing slugs) or the same
tree path (treebeard reads the parent's last child), and the second save was a 500. Wagtail's create
view runs outside a transaction, so this middleware runs that one view (a POST to
``wagtailadmin_pages:add``: saves, submits, publishes and autosaves of a new page) inside one, after
taking a transaction-scoped advisory lock named after the site and the parent page. The second save
waits for the first to commit (a few hundred milliseconds), then counts again and gets its own number
and path. Other views, and every GET, pass untouched."""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse

from tenants.lib.pg import lock_key

CREATE_VIEW = "wagtailadmin_pages:add"


class SerialPageCreationMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        match = getattr(request, "resolver_match", None)
        if request.method != "POST" or match is None or match.view_name != CREATE_VIEW:
            return None
        parent = view_kwargs.get("parent_page_id")
        key = lock_key(f"page-create:{connection.schema_name}:{parent}")
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])
            return view_func(request, *view_args, **view_kwargs)
