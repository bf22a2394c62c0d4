"""The library's read-only JSON API (platform domain, ``/api/library/``)."""

from django.urls import path

from shared_library import api

app_name = "library_api"

urlpatterns = [
    path("resources/", api.resource_list, name="resource_list"),
    path("resources/<int:pk>/", api.resource_detail, name="resource_detail"),
]
