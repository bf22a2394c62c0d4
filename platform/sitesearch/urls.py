"""The results page on every site (included before Wagtail's page catch-all)."""

from django.urls import path

from sitesearch import views

app_name = "sitesearch"

urlpatterns = [path("search/", views.search, name="search")]
