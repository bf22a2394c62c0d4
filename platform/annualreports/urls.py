"""Public URLs of every site's annual reports (included before Wagtail's page catch-all)."""

from django.urls import path

from annualreports import views

app_name = "annualreports"

urlpatterns = [
    path("ndbb/", views.report_list, name="list"),
    path("ndbb/<int:year>/", views.report_detail, name="detail"),
    path("ndbb/<int:year>/<str:fmt>/", views.report_download, name="download"),
]
