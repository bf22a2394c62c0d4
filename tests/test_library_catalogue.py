"""The disclosure catalogue (政府信息公开目录), RSS feeds, the JSON API and library files."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from shared_library import services
from shared_library.models import Genre, TopicCategory
from tests.helpers import client_for, publish_article


@pytest.fixture
def library(cluster):
    """Three published resources on county_a (two syndicated from the platform, one its own) and an
    unpublished one; only county_a and county_b receive syndications."""
    general = TopicCategory.objects.get(name="综合政务")
    education = TopicCategory.objects.get(name="科技、教育")
    notice = Genre.objects.get(name="通知")
    opinion = Genre.objects.get(name="意见")
    platform = {"by": "operator", "site": None, "publish": True}
    a = services.create_resource(
        **platform,
        kind="policy",
        title="江城市政务公开工作要点",
        topic=general,
        genre=opinion,
        issuing_body="江城市人民政府办公室",
        written_date=datetime.date(2025, 3, 1),
        publish_date=datetime.date(2025, 3, 3),
    )
    b = services.create_resource(
        **platform,
        kind="notice",
        title="江城市中小学招生通知",
        topic=education,
        genre=notice,
        issuing_body="江城市教育局",
        publish_date=datetime.date(2026, 6, 1),
        tags=["招生"],
    )
    c = services.create_resource(
        by="a-editor",
        site=cluster["county_a"],
        publish=True,
        kind="notice",
        title="青山县防汛通知",
        topic=general,
        genre=notice,
        issuing_body="青山县人民政府",
        publish_date=datetime.date(2026, 7, 1),
    )
    draft = services.create_resource(by="operator", site=None, title="未发布的草稿", topic=general)
    services.syndicate(a, [cluster["county_a"], cluster["county_b"]], "policy", by="operator", site=None)
    services.syndicate(b, [cluster["county_a"]], "notices", by="operator", site=None)
    return {"a": a, "b": b, "c": c, "draft": draft}


def test_the_catalogue_lists_the_sites_resources_with_index_numbers(cluster, library):
    response = client_for(cluster["county_a"]).get("/xxgk/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "政府信息公开目录" in html
    for key in ("a", "b", "c"):
        assert library[key].title in html and library[key].index_number in html
    assert "未发布的草稿" not in html
    assert "综合政务" in html and "科技、教育" in html and "2025年" in html


def test_the_catalogue_of_another_site_shows_only_what_it_received(cluster, library):
    html = client_for(cluster["county_b"]).get("/xxgk/").content.decode()
    assert library["a"].title in html
    assert library["b"].title not in html and library["c"].title not in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"topic": "01"}, {"a", "c"}),
        ({"genre": "tz"}, {"b", "c"}),
        ({"issuing_body": "江城市教育局"}, {"b"}),
        ({"year": "2025"}, {"a"}),
        ({"topic": "01", "year": "2026"}, {"c"}),
    ],
)
def test_the_catalogue_filters_by_topic_genre_body_and_year(cluster, library, query, expected):
    html = client_for(cluster["county_a"]).get("/xxgk/", query).content.decode()
    table = html[html.index('<table class="xxgk-list">') :]
    shown = {key for key in ("a", "b", "c") if library[key].title in table}
    assert shown == expected


def _rss_items(response) -> list[dict[str, str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    assert channel is not None
    return [{child.tag: (child.text or "") for child in item} for item in channel.findall("item")]


def test_the_site_feed_has_its_articles_and_syndicated_resources(cluster, library):
    publish_article(cluster["county_a"], "news", "青山县召开常务会议", publish_date=datetime.date(2099, 1, 1))
    items = _rss_items(client_for(cluster["county_a"]).get("/feed/"))
    titles = [item["title"] for item in items]
    assert titles[0] == "青山县召开常务会议"  # newest first
    assert {"江城市政务公开工作要点", "江城市中小学招生通知", "青山县召开常务会议"} <= set(titles)
    link = next(item["link"] for item in items if item["title"] == "江城市中小学招生通知")
    assert link == f"http://{cluster['county_a'].primary_domain}/library/{library['b'].pk}/"


def test_a_column_feed_has_only_that_columns_items(cluster, library):
    publish_article(cluster["county_a"], "news", "青山县召开常务会议")
    titles = [item["title"] for item in _rss_items(client_for(cluster["county_a"]).get("/feed/notices/"))]
    assert "江城市中小学招生通知" in titles
    assert "青山县召开常务会议" not in titles and "江城市政务公开工作要点" not in titles
    assert client_for(cluster["county_a"]).get("/feed/no-such-column/").status_code == 404


def _api(path: str, **params):
    connection.set_schema_to_public()
    response = client_for("platform.localhost").get(f"/api/library/{path}", params)
    assert response.status_code == 200, response.content
    return response.json()


def test_the_json_api_lists_published_resources_with_metadata_filters(cluster, library):
    data = _api("resources/")
    titles = {row["title"] for row in data["results"]}
    assert titles == {library[key].title for key in ("a", "b", "c")} and data["count"] == 3
    assert {row["title"] for row in _api("resources/", topic="01")["results"]} == {
        library["a"].title,
        library["c"].title,
    }
    assert [row["title"] for row in _api("resources/", issuing_body="江城市教育局")["results"]] == [library["b"].title]
    assert [row["title"] for row in _api("resources/", kind="policy", year="2025")["results"]] == [library["a"].title]
    assert [row["title"] for row in _api("resources/", q="防汛")["results"]] == [library["c"].title]
    assert _api("resources/", tag="招生")["count"] == 1
    assert _api("resources/", validity="repealed")["count"] == 0
    paged = _api("resources/", page_size=2)
    assert len(paged["results"]) == 2 and paged["num_pages"] == 2


def test_the_json_api_detail_has_body_and_metadata_and_hides_drafts(cluster, library):
    data = _api(f"resources/{library['a'].pk}/")
    assert data["index_number"] == library["a"].index_number
    assert data["topic"] == {"code": "01", "name": "综合政务"} and data["genre"]["name"] == "意见"
    assert data["written_date"] == "2025-03-01" and data["source"] == "市政府"
    assert "body" in data and data["attachments"] == []
    missing = client_for("platform.localhost").get(f"/api/library/resources/{library['draft'].pk}/")
    assert missing.status_code == 404


def test_an_attachment_is_stored_once_under_the_library_prefix(cluster, library, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    resource = library["a"]
    upload = SimpleUploadedFile("要点.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    from django_tenants.utils import schema_context

    with schema_context(cluster["county_a"].schema_name):  # uploaded from a site's admin
        attachment = services.add_attachment(resource, upload, by="a-editor", site=cluster["county_a"])
    stored = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len(stored) == 1
    assert stored[0].relative_to(tmp_path).parts[0] == "library"
    assert attachment.size == len(b"%PDF-1.4 test") and attachment.content_type == "application/pdf"
    assert resource.versions.filter(action="attach").exists()
    # both receiving sites link to the same single file
    urls = set()
    for key in ("county_a", "county_b"):
        html = client_for(cluster[key]).get(f"/library/{resource.pk}/").content.decode()
        url = attachment.file.url
        assert url.startswith("/media/library/") and url in html
        urls.add(url)
    assert len(urls) == 1
