"""Library URLs on every site (included before Wagtail's page catch-all)."""

from django.urls import path

from shared_library import views
from shared_library.feeds import SiteFeed

app_name = "library"

urlpatterns = [
    path("library/<int:pk>/", views.resource_detail, name="resource"),
    path("xxgk/", views.catalogue, name="catalogue"),
    path("feed/", SiteFeed(), name="feed"),
    path("feed/<slug:column_slug>/", SiteFeed(), name="column_feed"),
]
