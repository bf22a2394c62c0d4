from django.urls import path

from tenants.services import views

app_name = "services"

urlpatterns = [path("banshi/", views.services_index, name="index")]
