"""A site URL conf with one view that breaks the database and then fails: the themed 500 page must
still render (``tests/test_portal_web.py``). Test-only; never included by the project."""

from django.db import connection
from django.urls import path

from zhanqun.urls import handler404, handler500  # noqa: F401
from zhanqun.urls import urlpatterns as site_urlpatterns


def broken_database(request):
    """Leave the connection's transaction aborted (every further query fails), then fail."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 / 0")


urlpatterns = [path("boom/", broken_database), *site_urlpatterns]
