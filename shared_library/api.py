"""Read-only JSON API of the library on the platform domain: public resources only (published and
not 不予公开).

Plain Django views (no DRF serializers) because the shape is small and fixed; filters mirror the
disclosure metadata so other systems (e.g. the provincial platform) can pull by 主题/体裁/机构/年份.
They are validated by ``shared_library.filters`` (the catalogue's own), so a crafted value is a 400.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import EmptyPage, Paginator
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from shared_library.filters import ERROR, filter_form
from shared_library.models import Resource

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


def _json(data: dict[str, Any], status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


def public_resources():
    return Resource.objects.public().select_related("topic", "genre", "source_site")


def serialize(resource: Resource, request: HttpRequest, *, full: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": resource.pk,
        "kind": resource.kind,
        "title": resource.title,
        "summary": resource.summary,
        "index_number": resource.index_number,
        "document_number": resource.document_number,
        "issuing_body": resource.issuing_body,
        "written_date": resource.written_date.isoformat() if resource.written_date else None,
        "publish_date": resource.publish_date.isoformat(),
        "topic": {"code": resource.topic.code, "name": resource.topic.name} if resource.topic else None,
        "genre": {"code": resource.genre.code, "name": resource.genre.name} if resource.genre else None,
        "tags": resource.tags,
        "validity": resource.validity,
        "disclosure": resource.disclosure,
        "source": resource.source_label,
        "source_site": resource.source_site.slug if resource.source_site else None,
        "url": request.build_absolute_uri(reverse("library_api:resource_detail", args=[resource.pk])),
    }
    if full:
        data["body"] = resource.body
        interpreted = resource.interpretation_of_id
        data["interpretation_of"] = interpreted if public_resources().filter(pk=interpreted).exists() else None
        data["interpretations"] = list(resource.interpretations.public().values_list("pk", flat=True))
        data["attachments"] = [
            {
                "title": a.title,
                "url": request.build_absolute_uri(a.file.url),
                "size": a.size,
                "content_type": a.content_type,
            }
            for a in resource.attachments.all()
        ]
    return data


@require_GET
def resource_list(request: HttpRequest) -> JsonResponse:
    form = filter_form(request.GET)
    if form.errors:
        return _json({"error": str(ERROR), "fields": form.field_errors()}, status=400)
    values = form.values()
    size = min(values.get("page_size", DEFAULT_PAGE_SIZE), MAX_PAGE_SIZE)
    paginator = Paginator(form.filter(public_resources()).order_by("-publish_date", "-pk"), size)
    try:
        page = paginator.page(values.get("page", 1))
    except EmptyPage:
        return _json({"error": _("页码超出范围")}, status=404)
    return _json(
        {
            "count": paginator.count,
            "page": page.number,
            "num_pages": paginator.num_pages,
            "results": [serialize(resource, request) for resource in page.object_list],
        }
    )


@require_GET
def resource_detail(request: HttpRequest, pk: int) -> JsonResponse:
    resource = public_resources().filter(pk=pk).first()
    if resource is None:
        return _json({"error": _("未找到该资源")}, status=404)
    return _json(serialize(resource, request, full=True))
