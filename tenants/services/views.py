"""政务服务 index (/banshi/)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tenants.services.listing import service_listing


def services_index(request: HttpRequest) -> HttpResponse:
    return render(request, "services/banshi.html", service_listing())
