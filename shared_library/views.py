"""A site's pages of the library: one resource, and the disclosure catalogue (政府信息公开目录).

Views stay thin: which resources a site may show is ``Resource.objects.public().visible_on(site)``
(never 不予公开), and the catalogue's filters are validated by ``shared_library.filters``.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from shared_library.filters import ERROR, filter_form
from shared_library.guides import REQUIRED_ELEMENTS
from shared_library.models import Genre, Resource, ResourceKind, ResourceStatus, Syndication, TopicCategory
from tenants.addresses import site_root
from tenants.relations import absolute_url, relations_for

CATALOGUE_PAGE_SIZE = 20


def canonical_url(request: HttpRequest, resource: Resource) -> str:
    """The resource's URL on the site it came from (search engines index one copy, not N).

    A resource of the platform library (no source site) is canonical on the city portal above this
    site when the portal shows it, else here; ``tenants.web.sitemaps`` lists it on the same site."""
    path = resource.get_path()
    source = resource.source_site
    domain = source.primary_domain if source else ""
    if domain:
        return f"{site_root(domain, request)}{path}"
    portal = relations_for(request.tenant).portal if source is None else None
    if portal is not None and Syndication.objects.filter(site_id=portal.pk, resource=resource).exists():
        return f"{site_root(portal.domain, request)}{path}"
    return absolute_url(request.tenant, path, request)


def resource_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A resource shown on this site if syndicated here (or contributed from here).

    Withdrawn: 410 with a notice, so old links explain themselves. 不予公开, whatever its status, and
    anything else not shown: 404."""
    site = request.tenant
    resource = (
        Resource.objects.disclosable()
        .visible_on(site)
        .select_related("source_site", "topic", "genre")
        .filter(pk=pk)
        .first()
    )
    if resource is None:
        raise Http404
    if resource.status == ResourceStatus.WITHDRAWN:
        return render(request, "library/withdrawn.html", {"resource": resource}, status=410)
    if resource.status != ResourceStatus.PUBLISHED:
        raise Http404
    shown_here = Resource.objects.public().visible_on(site)
    context = {
        "resource": resource,
        "canonical_url": canonical_url(request, resource),
        "attachments": resource.attachments.all(),
        "interpreted": shown_here.filter(pk=resource.interpretation_of_id).first()
        if resource.interpretation_of_id
        else None,
        "interpretations": shown_here.filter(interpretation_of=resource),
        "guide_elements": [(label, (resource.guide or {}).get(key, "")) for key, label in REQUIRED_ELEMENTS]
        if resource.kind == ResourceKind.GUIDE
        else [],
    }
    response = render(request, "library/resource_detail.html", context)
    # Also as a header: base.html has no head block, and search engines honour either form.
    response["Link"] = f'<{context["canonical_url"]}>; rel="canonical"'
    return response


def catalogue(request: HttpRequest) -> HttpResponse:
    """政府信息公开目录: this site's public resources, browsable by topic/genre/body/year.

    A crafted filter answers 400 with the reason, the page still listing what the valid filters
    select."""
    site = request.tenant
    base = Resource.objects.public().visible_on(site).select_related("topic", "genre", "source_site")
    form = filter_form(request.GET)
    values = form.values()
    filtered = form.filter(base)
    ids = base.values("pk")
    context = {
        "resources": Paginator(filtered.order_by("-publish_date", "-pk"), CATALOGUE_PAGE_SIZE).get_page(
            values.get("page")
        ),
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
        "selected": {key: value for key, value in values.items() if key not in ("page", "page_size")},
        "filter_error": ERROR if form.errors else "",
        "filter_errors": form.labelled_errors(),
    }
    return render(request, "library/catalogue.html", context, status=400 if form.errors else 200)
