"""Web-convention URLs of every site (included before Wagtail's page catch-all in ``zhanqun.urls``)."""

from django.urls import path

from tenants.web import views

urlpatterns = [
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("sitemap.xml", views.sitemap_xml, name="sitemap_xml"),
    path("sitemap/", views.site_map_page, name="site_map"),
    path("contact/", views.contact_page, name="contact"),
]
