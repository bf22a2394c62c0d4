"""What an uncached public page costs in SQL, and that the shortcuts taken never cross sites.

The budgets are what these pages cost now; plain single-site Wagtail 8 needs 10 (article) and 20
(home) statements for the same pages, measured by ``manage.py bench_portal`` (README "Page cache").
"""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from console.domains import remove_domain
from tenants.content.models import ArticlePage
from tests.helpers import client_for, publish_article

ARTICLE_BUDGET = 10  # measured here; plain Wagtail runs the same templates and navigation (bench_portal prints both)
HOME_BUDGET = 19  # measured here; plain Wagtail needs 20 for the same home page (bench_portal)

routing_cached = override_settings(ZQ_ROUTING_CACHE_SECONDS=300, ZQ_PAGE_CACHE_SECONDS=0)


def statements(site_or_host, path: str) -> list[str]:
    client = client_for(site_or_host)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, response.status_code
    return [query["sql"] for query in captured.captured_queries]


@routing_cached
def test_an_article_page_needs_no_more_statements_than_plain_wagtail(cluster):
    article = publish_article(cluster["county_a"], "news", "青山县召开经济运行分析会")
    path = f"/news/{article.slug}/"
    statements(cluster["county_a"], path)  # warms the routing entry and the content types
    sql = statements(cluster["county_a"], path)
    assert len(sql) <= ARTICLE_BUDGET, "\n".join(sql)
    assert not any(s.startswith("SET search_path") for s in sql), "same schema as before: no SET at all"
    assert not any("django_content_type" in s or "tenants_domain" in s or "wagtailcore_site" in s for s in sql)


@routing_cached
def test_a_home_page_needs_no_more_statements_than_plain_wagtail(cluster):
    statements(cluster["county_b"], "/")
    sql = statements(cluster["county_b"], "/")
    assert len(sql) <= HOME_BUDGET, "\n".join(sql)


@routing_cached
def test_switching_sites_sets_the_search_path_once_per_request(cluster):
    for key in ("county_a", "county_b", "department"):
        statements(cluster[key], "/")  # routes cached
    for key in ("county_b", "county_a", "department"):
        sql = statements(cluster[key], "/")
        sets = [s for s in sql if s.startswith("SET search_path")]
        assert len(sets) == 1, sets
        assert cluster[key].schema_name in sets[0]


def test_a_content_type_id_read_in_one_schema_is_never_used_in_another(cluster):
    a, b = cluster["county_a"].schema_name, cluster["county_b"].schema_name
    with schema_context(b), connection.cursor() as cursor:
        # A content type only B has (the test's transaction rolls it back).
        cursor.execute("INSERT INTO django_content_type (app_label, model) VALUES ('zqtest', 'onlyinb') RETURNING id")
        only_in_b = cursor.fetchone()[0]
    with schema_context(b):
        assert ContentType.objects.get_by_natural_key("zqtest", "onlyinb").pk == only_in_b
        assert ContentType.objects.get_for_id(only_in_b).model == "onlyinb"  # now cached for B
        article_in_b = ContentType.objects.get_for_model(ArticlePage).pk
    with schema_context(a):
        with pytest.raises(ContentType.DoesNotExist):
            ContentType.objects.get_by_natural_key("zqtest", "onlyinb")
        with pytest.raises(ContentType.DoesNotExist):
            ContentType.objects.get_for_id(only_in_b)
        with connection.cursor() as cursor:
            cursor.execute("SELECT id FROM django_content_type WHERE app_label = 'content' AND model = 'articlepage'")
            assert ContentType.objects.get_for_model(ArticlePage).pk == cursor.fetchone()[0]
    with schema_context("public"):
        with connection.cursor() as cursor:
            cursor.execute("SELECT id FROM django_content_type WHERE app_label = 'tenants' AND model = 'site'")
            assert ContentType.objects.get_by_natural_key("tenants", "site").pk == cursor.fetchone()[0]
    with schema_context(b):
        assert ContentType.objects.get_for_model(ArticlePage).pk == article_in_b


def test_content_types_are_read_once_per_schema_not_once_per_request(cluster):
    ContentType.objects.clear_cache()
    for schema in (cluster["county_a"].schema_name, cluster["county_b"].schema_name):
        with schema_context(schema):
            ContentType.objects.get_for_model(ArticlePage)
    for schema in (cluster["county_a"].schema_name, cluster["county_b"].schema_name):
        with schema_context(schema), CaptureQueriesContext(connection) as captured:
            ContentType.objects.get_for_model(ArticlePage)
        assert not captured.captured_queries


@routing_cached
def test_a_removed_domain_stops_routing_at_once(cluster):
    township = cluster["township"]
    host = "chengguan-alias.localhost"
    assert client_for(host).get("/").status_code == 301  # routed (and cached): redirects to the primary
    domain = township.domains.get(domain=host)
    remove_domain(domain)
    assert client_for(host).get("/").status_code == 404


@routing_cached
def test_a_suspended_site_answers_503_at_once_although_its_route_was_cached(cluster):
    from console.sites import resume, suspend

    site = cluster["county_b"]
    assert client_for(site).get("/").status_code == 200
    suspend(site, "整改")
    assert client_for(site).get("/").status_code == 503
    resume(site)
    assert client_for(site).get("/").status_code == 200
