"""The issue's scenario: a township with Chinese slugs, nested columns, same-named attachments, an alias
domain, library contributions and syndications is closed into its county; then rolled back."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.utils import timezone
from django_tenants.utils import schema_context
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Page, PageViewRestriction, Revision
from wagtail.search.models import IndexEntry

from audit.models import AuditEvent
from identity.models import SiteRole
from shared_library.models import Resource, Syndication
from tenants.closure.execute import execute
from tenants.closure.models import ClosureItem, ClosureStatus
from tenants.closure.notice import start_notice
from tenants.closure.plan import plan_closure
from tenants.closure.rollback import rollback
from tenants.content.models import ArticlePage, ColumnPage
from tests import closure_scenario
from tests.helpers import client_for
from tests.people import add_article, logged_in

PAGE_KINDS = {"home", "page", "list", "library", "catalogue", "other"}


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


@pytest.fixture
def scenario(cluster, media):
    return closure_scenario.build()


def close(scenario, **plan):
    closure = plan_closure(scenario.town, by="operator", **plan)
    closure = start_notice(closure, by="operator", notice_days=0, reason="乡镇机构改革")
    steps = []
    closure = execute(closure, by="operator", progress=lambda done, total, step: steps.append((done, total, step)))
    return closure, steps


def fetch(url: str):
    parts = urlsplit(url)
    return client_for(parts.hostname).get(parts.path + (f"?{parts.query}" if parts.query else ""))


def heading(html: str) -> str:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    return match.group(1).strip() if match else ""


def copy_of(scenario, closure, key: str) -> ArticlePage:
    target_id = ClosureItem.objects.get(closure=closure, kind="page", source_id=str(scenario.pages[key])).target_id
    with schema_context(scenario.county.schema_name):
        return Page.objects.get(pk=int(target_id)).specific


def test_every_old_url_has_a_new_home_on_the_county_answering_with_the_same_title(scenario):
    town = scenario.town
    old_titles = {}
    planned = plan_closure(town, by="operator")
    for row in planned.urls.filter(kind__in=["home", "page"]):
        response = client_for(town).get(row.path)
        assert response.status_code == 200, row.path
        old_titles[row.path] = closure_scenario.title_of(response.content).split(" - ")[0]

    closure, steps = close(scenario)

    assert closure.status == ClosureStatus.REDIRECTING and closure.executed_at is not None
    town.refresh_from_db()
    assert town.status == "closed" and town.closed_at is not None
    assert steps[-1][0] == steps[-1][1] and steps[-1][2] == "done"
    assert {step for _done, _total, step in steps} >= {"pages", "images", "documents", "people", "library", "urls"}
    urls = list(closure.urls.all())
    assert {row.path for row in urls} >= set(old_titles)
    for row in urls:
        assert row.status_code == 301 and row.new_url.startswith("http://cl-county.localhost/"), row.path
        if row.kind not in PAGE_KINDS:
            continue
        response = fetch(row.new_url)
        assert response.status_code == 200, (row.path, row.new_url)
        if row.path in old_titles:
            assert closure_scenario.title_of(response.content).split(" - ")[0] == old_titles[row.path]
            if row.path != "/notices/internal/":  # a password page shows its form, on X as on P
                assert old_titles[row.path] == row.title
    # Feeds and files answer on the county too.
    for row in urls:
        if row.kind in ("feed", "document"):
            assert fetch(row.new_url).status_code == 200, row.path

    # The township itself is only read: its pages are all still there.
    with schema_context(town.schema_name):
        assert Page.objects.filter(pk__in=scenario.pages.values()).count() == len(scenario.pages)
    event = AuditEvent.objects.get(action="closure_execute", site=town)
    assert event.details["counts"]["page"] == 34 and event.details["resumed"] is False


def test_the_copies_are_faithful_pages_links_files_and_library(scenario):
    """One closure, four kinds of check (each its own function, so a failure names what broke)."""
    closure, _steps = close(scenario)
    keeps_dates_source_authorship_and_a_published_revision(scenario, closure)
    keeps_private_pages_private(scenario, closure)
    rewrites_links_in_rich_text_to_the_county(scenario, closure)
    keeps_same_named_files_distinct_in_one_collection_named_after_the_township(scenario, closure)
    moves_library_contributions_and_syndications_without_showing_twice(scenario, closure)


def keeps_dates_source_authorship_and_a_published_revision(scenario, closure):
    with schema_context(scenario.town.schema_name):
        original = ArticlePage.objects.get(pk=scenario.pages["notice"])
    copy = copy_of(scenario, closure, "notice")
    assert copy.title == original.title and copy.publish_date == original.publish_date
    assert copy.first_published_at == original.first_published_at
    assert copy.last_published_at == original.last_published_at
    assert copy.source == "城关镇应急办"
    with schema_context(scenario.county.schema_name):
        assert copy.owner is not None and copy.owner.username == "cl-editor"
    item = ClosureItem.objects.get(closure=closure, kind="page", source_id=str(original.pk))
    assert item.data["owner"] == "cl-editor"
    assert copy.live and not copy.has_unpublished_changes
    with schema_context(scenario.county.schema_name):
        revision = Revision.objects.get(pk=copy.live_revision_id)
        assert copy.latest_revision_id == revision.pk and revision.user.username == "cl-editor"
        assert revision.as_object().title == original.title
        # In the county's search index like any page written there (built once, after the copy).
        assert IndexEntry.objects.filter(object_id=str(copy.pk)).exists()


def keeps_private_pages_private(scenario, closure):
    copy = copy_of(scenario, closure, "private")
    response = client_for(scenario.county).get("/cl-town/cl-town-notices/internal/")
    assert response.status_code == 200 and "仅限内部查看的安排" not in response.content.decode()
    with schema_context(scenario.county.schema_name):
        restriction = PageViewRestriction.objects.get(page=copy)
        assert (restriction.restriction_type, restriction.password) == ("password", "chengguan-2026")


def rewrites_links_in_rich_text_to_the_county(scenario, closure):
    county = scenario.county
    copy = copy_of(scenario, closure, "notice")
    intro = copy_of(scenario, closure, "intro")
    document_id = ClosureItem.objects.get(closure=closure, kind="document").target_id
    image_id = ClosureItem.objects.get(closure=closure, kind="image").target_id
    assert f'<a linktype="document" id="{document_id}">' in copy.body
    assert f'<a linktype="page" id="{intro.pk}">' in copy.body
    assert f'<embed embedtype="image" format="fullwidth" id="{image_id}" alt="全景"/>' in copy.body
    assert '<a href="/cl-town/cl-town-notices/">' in copy.body  # a relative link of X
    assert '<a href="/cl-town/%E9%95%87%E6%83%85%E6%A6%82%E5%86%B5/">' in copy.body  # X's alias domain
    # A link to a page copied later (tree order) was rewritten in the second pass.
    history = copy_of(scenario, closure, "history-article")
    assert f'<a linktype="page" id="{history.pk}">' in copy_of(scenario, closure, "news-1").body
    html = client_for(county).get("/cl-town/cl-town-notices/spring-fire/").content.decode()
    assert f'href="/documents/{document_id}/%E9%80%9A%E7%9F%A5.pdf"' in html
    assert 'href="/cl-town/%E9%95%87%E6%83%85%E6%A6%82%E5%86%B5/%E5%9F%8E%E5%85%B3%E9%95%87%E7%AE%80%E4%BB%8B/"' in html


def keeps_same_named_files_distinct_in_one_collection_named_after_the_township(scenario, closure):
    county = scenario.county
    with schema_context(county.schema_name):
        documents = {d.pk: d for d in get_document_model().objects.all()}
        own = documents[scenario.documents["county"]]
        copied = documents[int(ClosureItem.objects.get(closure=closure, kind="document").target_id)]
        assert own.filename == copied.filename == "通知.pdf" and own.file.name != copied.file.name
        assert own.file.open("rb").read() == b"%PDF-1.4 county notice"
        assert copied.file.open("rb").read() == b"%PDF-1.4 town notice"
        collection = Collection.objects.get(name="青岭县城关镇人民政府")
        assert copied.collection_id == collection.pk
        image = get_image_model().objects.get(pk=int(ClosureItem.objects.get(closure=closure, kind="image").target_id))
        assert image.collection_id == collection.pk and (image.width, image.height) == (64, 48)
        assert image.uploaded_by_user.username == "cl-editor"
        copied_bytes = image.file.open("rb").read()
    with schema_context(scenario.town.schema_name):
        assert get_image_model().objects.get().file.open("rb").read() == copied_bytes
    assert fetch(f"http://cl-county.localhost/documents/{own.pk}/通知.pdf").getvalue() == b"%PDF-1.4 county notice"
    # The old image and rendition URLs both lead to the copied original.
    for row in closure.urls.filter(kind__in=["image", "rendition"]):
        path = urlsplit(row.new_url).path
        with schema_context(county.schema_name):
            assert default_storage.url(image.file.name) == path


def moves_library_contributions_and_syndications_without_showing_twice(scenario, closure):
    county = scenario.county
    own = scenario.resources["own"]
    own.refresh_from_db()
    assert own.source_site == county and own.origin_site_name == "青岭县城关镇人民政府"
    html = client_for(county).get(f"/library/{own.pk}/").content.decode()
    assert "来源：青岭县人民政府（原青岭县城关镇人民政府网站）" in html
    assert Syndication.objects.filter(resource=own, site=county, column_slug="cl-town-news").exists()
    county_news = client_for(county).get("/news/").content.decode()
    section_news = client_for(county).get("/cl-town/cl-town-news/").content.decode()
    assert county_news.count("江城市优化营商环境条例") == 1  # the county's own syndication, once
    assert section_news.count("江城市优化营商环境条例") == 1 and section_news.count("城关镇特色农业发展经验") == 1
    assert "城关镇特色农业发展经验" not in county_news
    # The township's list had 25 items on two pages; so does its copy on the county.
    assert "第 1 / 2 页" in section_news
    assert own.versions.filter(action="closure").exists()


def test_the_townships_clerk_now_drafts_in_the_countys_section_but_cannot_publish(scenario):
    close(scenario)
    county = scenario.county
    roles = {r.account.username: r for r in SiteRole.objects.filter(site=county).select_related("account")}
    assert roles["cl-clerk"].role == "submitter" and roles["cl-clerk"].columns == ["cl-town"]
    assert roles["cl-editor"].role == "submitter" and roles["cl-editor"].columns == ["cl-town"]
    assert roles["cl-both"].role == "editor"  # already an editor of the county: keeps the higher role
    assert roles["cl-reporter"].role == "submitter" and roles["cl-reporter"].columns == ["news", "cl-town"]

    client = logged_in(county, "cl-clerk")  # same account, same password
    response = add_article(client, county, "cl-town-news", "城关镇社区报送的新闻", action="action-publish")
    assert response.status_code in (200, 302)
    with schema_context(county.schema_name):
        draft = ArticlePage.objects.get(title="城关镇社区报送的新闻")
        assert not draft.live and draft.get_parent().slug == "cl-town-news"
    response = add_article(client, county, "news", "写到县里栏目的文章")
    with schema_context(county.schema_name):
        assert not ArticlePage.objects.filter(title="写到县里栏目的文章").exists()


def test_a_rollback_restores_the_township_as_the_public_saw_it(scenario):
    town, county = scenario.town, scenario.county
    planned = plan_closure(town, by="operator")
    town_paths = [row.path for row in planned.urls.all()] + ["/", "/feed/news/", "/library/999999/"]
    county_paths = ["/", "/news/", "/notices/", "/cl-town/", f"/library/{scenario.resources['own'].pk}/", "/xxgk/"]
    with schema_context(county.schema_name):
        county_pages = Page.objects.count()
        county_documents = get_document_model().objects.count()
        county_collections = Collection.objects.count()
    with schema_context(county.schema_name):
        users_before = set(get_user_model().objects.values_list("username", flat=True))
    town_before = closure_scenario.public_view(town.primary_domain, town_paths)
    alias_before = closure_scenario.public_view(scenario.alias, town_paths[:5])
    county_before = closure_scenario.public_view(county.primary_domain, county_paths)
    roles_before = sorted(SiteRole.objects.filter(site=county).values_list("account__username", "role", "columns"))
    syndications_before = sorted(Syndication.objects.values_list("resource_id", "site_id", "column_slug"))

    closure, _steps = close(scenario)
    copied_files = [
        item.data["file"] for item in ClosureItem.objects.filter(closure=closure, kind__in=["image", "document"])
    ]
    rollback(closure, by="operator", reason="县政府决定暂缓整合")

    closure.refresh_from_db()
    assert closure.status == ClosureStatus.ROLLED_BACK and closure.rollback_reason == "县政府决定暂缓整合"
    assert not closure.urls.exists() and not closure.items.exists()
    town.refresh_from_db()
    assert town.status == "active" and town.closed_at is None
    assert closure_scenario.public_view(town.primary_domain, town_paths) == town_before
    assert closure_scenario.public_view(scenario.alias, town_paths[:5]) == alias_before
    assert closure_scenario.public_view(county.primary_domain, county_paths) == county_before
    with schema_context(county.schema_name):
        assert Page.objects.count() == county_pages
        assert get_document_model().objects.count() == county_documents
        assert Collection.objects.count() == county_collections
        assert not get_image_model().objects.exists()
        assert not any(default_storage.exists(name) for name in copied_files)
        assert not ColumnPage.objects.filter(slug__startswith="cl-town").exists()
        assert set(get_user_model().objects.values_list("username", flat=True)) == users_before
    own = Resource.objects.get(pk=scenario.resources["own"].pk)
    assert own.source_site == town and own.origin_site_name == ""
    assert sorted(Syndication.objects.values_list("resource_id", "site_id", "column_slug")) == syndications_before
    roles_after = sorted(SiteRole.objects.filter(site=county).values_list("account__username", "role", "columns"))
    assert roles_after == roles_before
    event = AuditEvent.objects.get(action="closure_rollback", site=town)
    assert event.details["reason"] == "县政府决定暂缓整合" and event.details["was"] == "redirecting"
    assert event.at <= timezone.now()
    # And it can be planned again from scratch.
    assert plan_closure(town, by="operator").pk != closure.pk


def test_a_column_sent_into_one_of_the_countys_own_columns_lands_there(scenario):
    closure, _steps = close(scenario, column_map={"news": "column:news"})
    county = scenario.county
    urls = {row.path: row.new_url for row in closure.urls.all()}
    assert urls["/news/"] == "http://cl-county.localhost/news/"
    assert urls["/news/?page=2"] == "http://cl-county.localhost/news/"  # the county's list pages differently
    for n in range(1, closure_scenario.NEWS_ITEMS + 1):
        assert urls[f"/news/dongtai-{n}/"] == f"http://cl-county.localhost/news/dongtai-{n}/"
        assert fetch(urls[f"/news/dongtai-{n}/"]).status_code == 200
    with schema_context(county.schema_name):
        news = ColumnPage.objects.get(slug="news")
        assert (
            news.get_children().count() == closure_scenario.NEWS_ITEMS + 1
            and news.numchild == news.get_children().count()
        )
        assert not ColumnPage.objects.filter(slug="cl-town-news").exists()
    own = scenario.resources["own"]
    assert Syndication.objects.filter(resource=own, site=county, column_slug="news").exists()
    assert client_for(county).get("/news/").content.decode().count("江城市优化营商环境条例") == 1

    rollback(closure, by="operator", reason="测试")
    with schema_context(county.schema_name):
        news = ColumnPage.objects.get(slug="news")
        assert news.get_children().count() == 1 and news.numchild == 1
    assert not Syndication.objects.filter(resource=own, site=county).exists()
    assert Syndication.objects.filter(resource=scenario.resources["shared"], site=county, column_slug="news").exists()
