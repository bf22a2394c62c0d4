"""Read-only JSON API of the library on the platform domain: published resources only.

Plain Django views (no DRF serializers) because the shape is small and fixed; filters mirror the
disclosure metadata so other systems (e.g. the provincial platform) can pull by 主题/体裁/机构/年份.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import EmptyPage, Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from shared_library.models import Resource

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


def filter_resources(params) -> QuerySet[Resource]:
    queryset = Resource.objects.published().select_related("topic", "genre", "source_site")
    exact = {"kind": "kind", "topic": "topic__code", "genre": "genre__code", "validity": "validity"}
    exact |= {"issuing_body": "issuing_body", "disclosure": "disclosure", "source_site": "source_site__slug"}
    for param, lookup in exact.items():
        if params.get(param):
            queryset = queryset.filter(**{lookup: params[param]})
    if params.get("year", "").isdigit():
        queryset = queryset.filter(publish_date__year=int(params["year"]))
    if params.get("tag"):
        queryset = queryset.filter(tags__contains=[params["tag"]])
    if params.get("q"):
        q = params["q"]
        queryset = queryset.filter(
            Q(title__icontains=q) | Q(summary__icontains=q) | Q(document_number__icontains=q) | Q(index_number=q)
        )
    return queryset.order_by("-publish_date", "-pk")


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
        data["interpretation_of"] = resource.interpretation_of_id
        data["interpretations"] = list(resource.interpretations.published().values_list("pk", flat=True))
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
    try:
        size = min(max(int(request.GET.get("page_size", DEFAULT_PAGE_SIZE)), 1), MAX_PAGE_SIZE)
        number = int(request.GET.get("page", 1))
    except ValueError:
        return JsonResponse({"error": "page and page_size must be integers"}, status=400)
    paginator = Paginator(filter_resources(request.GET), size)
    try:
        page = paginator.page(number)
    except EmptyPage:
        return JsonResponse({"error": "page out of range"}, status=404)
    return JsonResponse(
        {
            "count": paginator.count,
            "page": page.number,
            "num_pages": paginator.num_pages,
            "results": [serialize(resource, request) for resource in page.object_list],
        },
        json_dumps_params={"ensure_ascii": False},
    )


@require_GET
def resource_detail(request: HttpRequest, pk: int) -> JsonResponse:
    resource = Resource.objects.published().select_related("topic", "genre", "source_site").filter(pk=pk).first()
    if resource is None:
        return JsonResponse({"error": "not found"}, status=404)
    return JsonResponse(serialize(resource, request, full=True), json_dumps_params={"ensure_ascii": False})
