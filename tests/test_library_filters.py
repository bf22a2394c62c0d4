"""Crafted filters on the catalogue (/xxgk/) and the library JSON API get a clear 400, never a 500.

Both go through one filter form, so each parameter is tried on both."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection

from shared_library import services
from tests.helpers import client_for

TEXT_PARAMS = ["topic", "genre", "issuing_body", "q", "tag", "kind", "source_site", "validity", "disclosure"]
BAD_VALUES = [
    ("year", "99999999999999999999"),
    ("year", "0"),
    ("year", "-3"),
    ("year", "二〇二六"),
    ("year", "2026\x00"),
    ("page", "abc"),
    ("page", "0"),
    ("page", "\x00"),
    ("page_size", "x"),
    *[(param, "01\x00") for param in TEXT_PARAMS],
    ("kind", "no-such-kind"),
    ("topic", "x" * 5000),
    ("q", "x" * 5000),
]


@pytest.fixture
def resource(cluster):
    resource = services.create_resource(
        by="ops",
        site=None,
        publish=True,
        kind="notice",
        title="江城市年度工作通知",
        issuing_body="江城市人民政府",
        publish_date=datetime.date(2026, 5, 1),
    )
    services.syndicate(resource, [cluster["county_a"]], "notices", by="ops", site=None)
    return resource


def catalogue(cluster, params):
    return client_for(cluster["county_a"]).get("/xxgk/", params)


def api(params):
    connection.set_schema_to_public()
    return client_for("platform.localhost").get("/api/library/resources/", params)


@pytest.mark.parametrize(("param", "value"), BAD_VALUES)
def test_a_crafted_filter_gets_a_clear_400_from_the_catalogue(cluster, resource, param, value):
    response = catalogue(cluster, {param: value})
    assert response.status_code == 400, response.content.decode()[:500]
    html = response.content.decode()
    assert "筛选条件有误" in html
    assert "\x00" not in html


@pytest.mark.parametrize(("param", "value"), BAD_VALUES)
def test_a_crafted_filter_gets_a_clear_400_from_the_api(cluster, resource, param, value):
    response = api({param: value})
    assert response.status_code == 400, response.content.decode()[:500]
    data = response.json()
    assert data["error"] == "筛选条件有误" and param in data["fields"]
    assert all(data["fields"][param])


def test_good_filters_still_work_on_both(cluster, resource):
    good = {"year": "2026", "kind": "notice", "issuing_body": "江城市人民政府", "q": "年度", "page": "1"}
    response = catalogue(cluster, good)
    assert response.status_code == 200 and resource.title in response.content.decode()
    data = api({**good, "page_size": "500"}).json()
    assert [row["title"] for row in data["results"]] == [resource.title]


def test_the_catalogue_also_filters_by_the_apis_parameters(cluster, resource):
    assert resource.title not in catalogue(cluster, {"q": "不存在的标题"}).content.decode()
    assert resource.title in catalogue(cluster, {"kind": "notice", "source_site": ""}).content.decode()


def test_a_huge_page_number_is_answered_without_a_500(cluster, resource):
    assert catalogue(cluster, {"page": "99999999999999999999"}).status_code == 200
    response = api({"page": "99999999999999999999"})
    assert response.status_code == 404 and response.json()["error"] == "页码超出范围"


@pytest.mark.parametrize("pk", ["99999999999999999999", "9223372036854775808", "0"])
def test_huge_ids_are_not_found(cluster, resource, pk):
    connection.set_schema_to_public()
    assert client_for("platform.localhost").get(f"/api/library/resources/{pk}/").status_code == 404
    assert client_for(cluster["county_a"]).get(f"/library/{pk}/").status_code == 404


def test_non_numeric_ids_are_not_found(cluster, resource):
    connection.set_schema_to_public()
    assert client_for("platform.localhost").get("/api/library/resources/abc/").status_code == 404
    assert client_for(cluster["county_a"]).get("/library/abc/").status_code == 404
