"""A site's pages of the library: one resource, and the disclosure catalogue (政府信息公开目录).

Views stay thin: which resources a site may show is ``Resource.objects.visible_on(site)``.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from shared_library.models import Disclosure, Genre, Resource, ResourceStatus, TopicCategory


def canonical_url(request: HttpRequest, resource: Resource) -> str:
    """The resource's URL on the site it came from (search engines index one copy, not N)."""
    source = resource.source_site
    domain = source.primary_domain if source else ""
    if domain:
        return f"{request.scheme}://{domain}{resource.get_path()}"
    return request.build_absolute_uri(resource.get_path())


def resource_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A resource shown on this site if syndicated here (or contributed from here).

    Withdrawn: 410 with a notice, so old links explain themselves. Anything else not shown: 404."""
    site = request.tenant
    resource = (
        Resource.objects.visible_on(site)
        .select_related("source_site", "topic", "genre", "interpretation_of")
        .filter(pk=pk)
        .first()
    )
    if resource is None:
        raise Http404
    if resource.status == ResourceStatus.WITHDRAWN:
        return render(request, "library/withdrawn.html", {"resource": resource}, status=410)
    if resource.status != ResourceStatus.PUBLISHED:
        raise Http404
    context = {
        "resource": resource,
        "canonical_url": canonical_url(request, resource),
        "attachments": resource.attachments.all(),
        "interpretations": resource.interpretations.published().visible_on(site),
    }
    response = render(request, "library/resource_detail.html", context)
    # Also as a header: base.html has no head block, and search engines honour either form.
    response["Link"] = f'<{context["canonical_url"]}>; rel="canonical"'
    return response


def catalogue(request: HttpRequest) -> HttpResponse:
    """政府信息公开目录: this site's disclosed resources, browsable by topic/genre/body/year."""
    site = request.tenant
    base = (
        Resource.objects.published()
        .visible_on(site)
        .exclude(disclosure=Disclosure.NOT_PUBLIC)
        .select_related("topic", "genre", "source_site")
    )
    params = request.GET
    filtered = base
    if params.get("topic"):
        filtered = filtered.filter(topic__code=params["topic"])
    if params.get("genre"):
        filtered = filtered.filter(genre__code=params["genre"])
    if params.get("issuing_body"):
        filtered = filtered.filter(issuing_body=params["issuing_body"])
    if params.get("year", "").isdigit():
        filtered = filtered.filter(publish_date__year=int(params["year"]))
    ids = base.values("pk")
    context = {
        "resources": Paginator(filtered.order_by("-publish_date", "-pk"), 20).get_page(params.get("page")),
        "topics": TopicCategory.objects.filter(resource__in=ids).annotate(n=Count("resource")).order_by("ordering"),
        "genres": Genre.objects.filter(resource__in=ids).annotate(n=Count("resource")).order_by("ordering"),
        "issuing_bodies": Resource.objects.filter(pk__in=ids)
        .exclude(issuing_body="")
        .values_list("issuing_body", flat=True)
        .distinct()
        .order_by("issuing_body"),
        "years": Resource.objects.filter(pk__in=ids)
        .annotate(y=ExtractYear("publish_date"))
        .values_list("y", flat=True)
        .distinct()
        .order_by("-y"),
        "selected": {key: params.get(key, "") for key in ("topic", "genre", "issuing_body", "year")},
    }
    return render(request, "library/catalogue.html", context)
