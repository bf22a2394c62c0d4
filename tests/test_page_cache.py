"""The page cache: anonymous visitors get whole pages from the cache, and every change that could
alter a page shows at once (publish, unpublish, syndication, withdrawal, closure, suspension), on the
site concerned only and on every domain serving it."""

from __future__ import annotations

import datetime

import pytest
from django.test import override_settings
from django_tenants.utils import schema_context
from wagtail.models import PageViewRestriction

from console.sites import suspend, update_site
from shared_library import services
from tenants.closure.notice import start_notice
from tenants.closure.plan import plan_closure
from tenants.models import Domain
from tests.closure_ops import close_by_hand
from tests.files import site_admin
from tests.helpers import client_for, publish_article

pytestmark = pytest.mark.usefixtures("page_cache_on")


@pytest.fixture
def page_cache_on():
    with override_settings(ZQ_PAGE_CACHE_SECONDS=300, ZQ_ROUTING_CACHE_SECONDS=300):
        yield


def get(site_or_host, path: str = "/", **kwargs):
    return client_for(site_or_host).get(path, **kwargs)


def cached(site_or_host, path: str = "/") -> str:
    """Fill the cache for ``path`` and prove the next visitor gets it from there."""
    get(site_or_host, path)
    response = get(site_or_host, path)
    assert response["X-Cache"] == "HIT", path
    return response.content.decode()


def test_an_anonymous_visitors_second_request_is_a_hit_with_the_same_page(cluster):
    first = get(cluster["county_a"], "/news/")
    second = get(cluster["county_a"], "/news/")
    assert first.status_code == second.status_code == 200
    assert (first["X-Cache"], second["X-Cache"]) == ("MISS", "HIT")
    assert first.content == second.content
    assert first["Content-Type"] == second["Content-Type"]
    assert "Content-Security-Policy" in second  # the security headers are added to hits too
    head = client_for(cluster["county_a"]).head("/news/")
    assert head.status_code == 200 and head["X-Cache"] == "HIT"


def test_query_strings_are_separate_entries(cluster):
    assert get(cluster["county_a"], "/news/?page=1")["X-Cache"] == "MISS"
    assert get(cluster["county_a"], "/news/?page=2")["X-Cache"] == "MISS"
    assert get(cluster["county_a"], "/news/?page=1")["X-Cache"] == "HIT"


def test_a_logged_in_editor_never_gets_a_cached_page_and_never_fills_one(cluster):
    editor = site_admin(cluster["county_a"], "cache-editor")
    for _ in range(2):
        response = editor.get("/news/")
        assert response.status_code == 200 and "X-Cache" not in response
    assert get(cluster["county_a"], "/news/")["X-Cache"] == "MISS"  # the editor's visits stored nothing
    assert get(cluster["county_a"], "/news/")["X-Cache"] == "HIT"
    assert "X-Cache" not in editor.get("/news/")
    assert get(cluster["county_a"], "/admin/login/").get("X-Cache") is None


def test_a_visitor_with_a_cookie_gets_a_fresh_page(cluster):
    cached(cluster["county_a"], "/news/")
    client = client_for(cluster["county_a"])
    client.cookies["zq_care"] = "1"
    assert "X-Cache" not in client.get("/news/")


def test_publishing_on_one_site_purges_that_site_only(cluster):
    a, b = cluster["county_a"], cluster["county_b"]
    cached(a)
    b_home = cached(b)
    publish_article(a, "news", "青山县新闻发布会", publish_date=datetime.date(2026, 11, 20))
    response = get(a)
    assert response["X-Cache"] == "MISS" and "青山县新闻发布会" in response.content.decode()
    response = get(b)
    assert response["X-Cache"] == "HIT" and response.content.decode() == b_home


def test_unpublishing_purges_at_once(cluster):
    article = publish_article(cluster["county_a"], "news", "即将撤下的稿件", publish_date=datetime.date(2026, 11, 21))
    assert "即将撤下的稿件" in cached(cluster["county_a"], "/news/")
    with schema_context(cluster["county_a"].schema_name):
        article.unpublish()
    assert "即将撤下的稿件" not in get(cluster["county_a"], "/news/").content.decode()


def test_an_alias_domain_serving_the_site_shows_new_content_at_once(cluster):
    township = cluster["township"]
    alias = Domain.objects.get(domain="chengguan-alias.localhost")
    alias.serve_alias = True
    alias.save()
    cached(township)
    assert get("chengguan-alias.localhost")["X-Cache"] == "HIT"  # one entry for every served domain
    publish_article(township, "news", "城关镇召开防汛工作会议")
    for host in (township.primary_domain, "chengguan-alias.localhost"):
        response = get(host)
        assert response.status_code == 200 and "城关镇召开防汛工作会议" in response.content.decode(), host


def test_syndicating_a_library_item_purges_every_site_showing_it(cluster, django_capture_on_commit_callbacks):
    a, b, dept = cluster["county_a"], cluster["county_b"], cluster["department"]
    for site in (a, b, dept):
        cached(site, "/policy/")
    with django_capture_on_commit_callbacks(execute=True):
        resource = services.create_resource(
            by="operator", site=None, publish=True, kind="policy", title="江城市稳就业十条措施",
            body="<p>措施正文</p>", issuing_body="江城市人民政府", publish_date=datetime.date(2026, 11, 22),
        )  # fmt: skip
        services.syndicate(resource, [a, b], "policy", by="operator", site=None)
    for site in (a, b):
        response = get(site, "/policy/")
        assert response["X-Cache"] == "MISS" and "江城市稳就业十条措施" in response.content.decode()
    assert get(dept, "/policy/")["X-Cache"] == "HIT"  # not shown there: not purged
    assert "江城市稳就业十条措施" in cached(a, "/policy/")
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw(resource, "政策调整", by="operator", site=None)
    for site in (a, b):
        assert "江城市稳就业十条措施" not in get(site, "/policy/").content.decode()
        assert get(site, f"/library/{resource.pk}/").status_code == 410


def test_suspension_answers_503_at_once_not_a_cached_page(cluster, django_capture_on_commit_callbacks):
    site = cluster["county_b"]
    cached(site)
    with django_capture_on_commit_callbacks(execute=True):
        suspend(site, "内容整改")
    assert get(site).status_code == 503
    assert get(site).status_code == 503


def test_the_closure_notice_shows_at_once_on_both_sites(cluster, django_capture_on_commit_callbacks):
    town, county = cluster["township"], cluster["county_a"]
    cached(town)
    county_home = cached(county)
    with django_capture_on_commit_callbacks(execute=True):
        start_notice(plan_closure(town, by="operator"), by="operator")
    town_home = get(town)
    assert town_home["X-Cache"] == "MISS" and "关停整合公告" in town_home.content.decode()
    assert get(county)["X-Cache"] == "MISS" and get(county, "/").content.decode() != county_home


def test_closing_a_site_purges_it_and_its_new_home(cluster, django_capture_on_commit_callbacks):
    town, county = cluster["township"], cluster["county_a"]
    cached(town, "/news/")
    cached(county)
    close_by_hand(town, county)
    assert get(town, "/news/").status_code == 301  # the closure's redirect, never the cached 200
    response = get(county, "/城关镇/")
    assert response.status_code == 200
    assert get(county)["X-Cache"] == "MISS"


def test_a_theme_change_purges_the_site(cluster, django_capture_on_commit_callbacks):
    site = cluster["county_b"]
    assert "theme-default" in cached(site)
    with django_capture_on_commit_callbacks(execute=True):
        update_site(site, {"theme": "green"})
    assert "theme-green" in get(site).content.decode()


def test_a_page_made_private_is_no_longer_served_from_the_cache(cluster):
    article = publish_article(cluster["county_a"], "news", "内部通知", publish_date=datetime.date(2026, 11, 23))
    path = f"/news/{article.slug}/"
    assert "内部通知" in cached(cluster["county_a"], path)
    with schema_context(cluster["county_a"].schema_name):
        PageViewRestriction.objects.create(page=article, restriction_type=PageViewRestriction.PASSWORD, password="x1")
    response = get(cluster["county_a"], path)
    assert response.get("X-Cache") != "HIT"
    assert "内部通知" not in response.content.decode() or response.status_code != 200
