"""The public results page, ``/search/`` on every site (the header's search box sends ``q``)."""

from __future__ import annotations

import math
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from shared_library.models import Genre, TopicCategory
from sitesearch import engine, querylog
from sitesearch.documents import SERVING
from sitesearch.forms import SearchForm
from sitesearch.results import present
from sitesearch.segmenter import parse_query
from tenants.content.models import ColumnKind
from tenants.models import Site


def _query(values: dict, site: Site, parsed, page_size: int) -> engine.Query:
    cluster = values.get("scope") == "cluster"
    site_filter = None
    if cluster and values.get("site"):
        chosen = Site.objects.filter(slug=values["site"]).first()
        site_filter = chosen.pk if chosen else -1
    page = values.get("page") or 1
    return engine.Query(
        parsed=parsed,
        site_id=site.pk,
        cluster=cluster,
        site_filter=site_filter,
        column_kind=values.get("kind") or "",
        genre=values.get("genre") or "",
        topic=values.get("topic") or "",
        year=values.get("year"),
        sort=values.get("sort") or "relevance",
        offset=(page - 1) * page_size,
        limit=page_size,
    )


@never_cache
def search(request: HttpRequest) -> HttpResponse:
    """Never cached (by the page cache or a proxy): the index follows content through tasks that run
    after the page cache was purged, and every search must reach the per-site search log."""
    site = request.tenant
    form = SearchForm(request.GET)
    form.is_valid()
    values = dict(form.cleaned_data)  # the valid parameters; the invalid ones are reported
    text = values.get("q") or ""
    page_size = settings.ZQ_SEARCH_PAGE_SIZE
    selected = {key: value for key, value in values.items() if value not in ("", None) and key != "page"}
    context = {
        "q": text,
        "selected": selected,
        "querystring": urlencode(selected),
        "errors": form.labelled_errors(),
        "column_kinds": ColumnKind.choices,
        "genres": Genre.objects.all(),
        "topics": TopicCategory.objects.all(),
        "years": list(range(timezone.localdate().year, timezone.localdate().year - 10, -1)),
        "sites": Site.objects.filter(status__in=SERVING).exclude(kind="platform").order_by("kind", "name"),
        "max_query": settings.ZQ_SEARCH_MAX_QUERY,
        "hits": [],
        "total": None,
    }
    parsed = parse_query(text)
    if form.errors:
        return render(request, "sitesearch/results.html", context, status=400)
    if not text or parsed.empty:
        context["message"] = _("请输入要搜索的词语。") if not text else _("搜索词中没有可搜索的文字，请换一个词。")
        context["hot"] = querylog.hot_searches(site.pk)
        return render(request, "sitesearch/results.html", context)
    query = _query(values, site, parsed, page_size)
    results = engine.search(query)
    if query.offset == 0:
        querylog.count_search(site.pk, text, found=results.total > 0)
    pages = math.ceil(results.total / page_size)
    if query.sort == "relevance":
        pages = min(pages, settings.ZQ_SEARCH_RANK_WINDOW // page_size)
    page = values.get("page") or 1
    context.update(
        total=results.total,
        hits=present(results.hits, parsed.marks, site.pk),
        page=page,
        pages=pages,
        previous_page=page - 1 if page > 1 else None,
        next_page=page + 1 if page < pages else None,
    )
    if not results.total:
        context["message"] = _("没有找到与“%(q)s”相关的内容。") % {"q": text}
        context["hot"] = querylog.hot_searches(site.pk)
    return render(request, "sitesearch/results.html", context)
