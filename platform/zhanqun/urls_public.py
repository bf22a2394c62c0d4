"""URLs of the platform console (the public schema's domain): a Wagtail admin for operators."""

from django.urls import include, path
from django.views.generic import RedirectView
from wagtail.admin import urls as wagtailadmin_urls

urlpatterns = [
    path("api/library/", include("shared_library.api_urls")),
    path("console/", include("console.urls")),
    path("admin/", include(wagtailadmin_urls)),
    path("", include("zhanqun.urls_media")),
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
]
