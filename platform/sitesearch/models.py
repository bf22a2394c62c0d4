"""The search index and what goes with it. Every table is in the public schema (SHARED app only):
one index for the whole cluster, so a cluster-wide search is one query and a library resource is
one row (site 0) however many sites show it.
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

LIBRARY_SITE_ID = 0  # site id of library resources (they belong to no one site)


class SearchDocument(models.Model):
    """One searchable thing: a live public page of a site, or a public library resource.

    ``site_ids`` are the sites that show it (a page: its own site; a resource: its contributing site
    and every syndication target), so a site search is ``site_ids @> {id}`` and a cluster search
    sees every row once. ``terms`` is built from segmented lexemes (``sitesearch.segmenter``),
    title weighted A, the rest B. The big columns (``terms``, ``text``) are stored out of line
    (migration 0002) so a search that reads the dates of 30,000 matches reads a small heap.
    """

    schema_name = models.CharField(max_length=63)  # "public" for library resources
    site_id = models.IntegerField(db_index=True)  # 0 = library
    site_ids = ArrayField(models.IntegerField(), default=list)
    model = models.CharField(max_length=60)  # "content.articlepage", "shared_library.resource"
    object_id = models.BigIntegerField()
    url = models.CharField(max_length=1000)  # path on the showing site
    column_title = models.CharField(max_length=255, blank=True)
    column_kind = models.CharField(max_length=20, blank=True, db_index=True)
    genre = models.CharField(max_length=20, blank=True)  # Genre.code
    topic = models.CharField(max_length=20, blank=True)  # TopicCategory.code
    year = models.IntegerField(null=True)
    publish_date = models.DateField(null=True)
    title = models.CharField(max_length=500)
    text = models.TextField(blank=True)  # plain text for snippets (truncated)
    index_number = models.CharField(max_length=64, blank=True)
    document_number = models.CharField(max_length=100, blank=True)
    terms = SearchVectorField(null=True)  # every term (title weighted A): what matches
    title_terms = SearchVectorField(null=True)  # the title's terms alone: what ranks (small, kept inline)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["schema_name", "model", "object_id"], name="sitesearch_document_unique")
        ]
        indexes = [
            GinIndex(fields=["terms"], name="sitesearch_terms_gin"),
            GinIndex(fields=["site_ids"], name="sitesearch_site_ids_gin"),
            models.Index(fields=["-publish_date"], name="sitesearch_date"),
        ]

    def __str__(self) -> str:
        return self.title


class UserWord(models.Model):
    """A word the segmenter must keep whole (policy names, local places: 放管服, 网站集约化)."""

    word = models.CharField(_("词语"), max_length=50, unique=True)
    created_by = models.CharField(_("添加人"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("添加时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("搜索用户词典")
        verbose_name_plural = _("搜索用户词典")
        ordering = ["word"]

    def __str__(self) -> str:
        return self.word


class QueryStat(models.Model):
    """How often a query was searched on a site and how often it found nothing. Counts only: no
    address, no person, no time of a single search (what people looked for, not who)."""

    site_id = models.IntegerField()
    query = models.CharField(_("搜索词"), max_length=100)
    searches = models.PositiveIntegerField(_("搜索次数"), default=0)
    zero_results = models.PositiveIntegerField(_("无结果次数"), default=0)
    last_searched = models.DateField(_("最近搜索日期"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["site_id", "query"], name="sitesearch_querystat_unique")]
        indexes = [models.Index(fields=["site_id", "-searches"], name="sitesearch_querystat_hot")]

    def __str__(self) -> str:
        return self.query
