"""URLs of a tenant site: its Wagtail admin, documents, media, and its page tree."""

from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("", include("zhanqun.urls_media")),
    path("", include("shared_library.urls")),
    path("", include("sitesearch.urls")),
    path("", include("tenants.web.urls")),
    path("", include("interaction.urls")),
    path("captcha/", include("captcha.urls")),  # the public forms' captcha images (outside any namespace)
    path("", include("tenants.services.urls")),
    path("", include("annualreports.urls")),
    path("", include(wagtail_urls)),
]

# Themed error pages of the site (tenants.web.errors); the platform console keeps Django's.
handler404 = "tenants.web.errors.page_not_found"
handler500 = "tenants.web.errors.server_error"
