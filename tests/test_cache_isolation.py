"""Cached data never crosses sites: every cache key carries the site's schema (real Redis)."""

from __future__ import annotations

import os

import pytest
from django.core.cache import caches
from django.test import override_settings
from django_tenants.utils import schema_context

from tests.helpers import client_for

REDIS_URL = os.environ.get("ZQ_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_cache():
    import redis

    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.ConnectionError:
        pytest.skip(f"no Redis at {REDIS_URL}")
    from django.conf import settings

    cache_settings = {"default": {**settings.CACHES["default"]}}
    cache_settings["default"].update(BACKEND="django_redis.cache.RedisCache", LOCATION=REDIS_URL, KEY_PREFIX="zq-test")
    with override_settings(CACHES=cache_settings):
        caches["default"].clear()
        yield caches["default"]
        caches["default"].clear()


def test_the_same_cache_key_holds_separate_values_per_site(cluster, redis_cache):
    with schema_context(cluster["county_a"].schema_name):
        redis_cache.set("wagtail_site_root_paths", "A's roots")
    with schema_context(cluster["county_b"].schema_name):
        assert redis_cache.get("wagtail_site_root_paths") is None
        redis_cache.set("wagtail_site_root_paths", "B's roots")
    with schema_context(cluster["county_a"].schema_name):
        assert redis_cache.get("wagtail_site_root_paths") == "A's roots"


def test_wagtails_cached_site_roots_do_not_leak_between_sites(cluster, redis_cache):
    # Wagtail caches each site's root paths under one fixed key; both sites must still answer
    # with their own pages after the other filled the cache.
    for _ in range(2):
        assert "青山县人民政府" in client_for(cluster["county_a"]).get("/").content.decode()
        assert "白水县人民政府" in client_for(cluster["county_b"]).get("/").content.decode()
        assert "白水县人民政府" not in client_for(cluster["county_a"]).get("/").content.decode()


@override_settings(ZQ_PAGE_CACHE_SECONDS=300, ZQ_ROUTING_CACHE_SECONDS=300)
def test_a_cached_page_of_one_site_is_never_served_for_another_sites_host(cluster, redis_cache):
    # The same path on every site, cached in the shared Redis: each host gets its own site's page.
    for _ in range(2):
        for key, name in (("county_a", "青山县人民政府"), ("county_b", "白水县人民政府"), ("city", "江城市人民政府")):
            response = client_for(cluster[key]).get("/news/")
            html = response.content.decode()
            assert response.status_code == 200 and f" - {name}</title>" in html, key
    assert client_for(cluster["county_b"]).get("/news/")["X-Cache"] == "HIT"
    assert client_for("nobody-here.localhost").get("/news/").status_code == 404
