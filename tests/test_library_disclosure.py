"""不予公开 (disclosure = not_public) is never served to the public, wherever one looks for it:
the JSON API (list, filter and detail), the source site's page, the catalogue, feeds, column
listings, library list pages and links from its interpretations."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django_tenants.utils import schema_context

from shared_library import services
from shared_library.models import Disclosure
from tests.helpers import client_for

SECRET = "青山县内部工作安排"


@pytest.fixture
def secret(cluster):
    """Published on 青山县 and syndicated (by the platform) to it and 白水县 while public, then marked
    不予公开."""
    resource = services.create_resource(
        by="qs",
        site=cluster["county_a"],
        publish=True,
        kind="policy",
        title=SECRET,
        body="<p>内部安排正文</p>",
        issuing_body="青山县人民政府办公室",
        publish_date=datetime.date(2026, 11, 8),
    )
    services.syndicate(resource, [cluster["county_a"], cluster["county_b"]], "policy", by="ops", site=None)
    services.update_resource(resource, by="qs", site=cluster["county_a"], disclosure=Disclosure.NOT_PUBLIC)
    return resource


def _api(path: str, **params):
    connection.set_schema_to_public()
    return client_for("platform.localhost").get(f"/api/library/{path}", params)


def test_the_api_never_lists_or_serves_it(cluster, secret):
    listing = _api("resources/")
    assert listing.status_code == 200 and SECRET not in listing.content.decode()
    filtered = _api("resources/", disclosure="not_public")
    assert filtered.status_code in (200, 400) and SECRET not in filtered.content.decode()
    assert _api(f"resources/{secret.pk}/").status_code == 404


def test_no_site_serves_its_page_not_even_its_source(cluster, secret):
    for key in ("county_a", "county_b"):
        response = client_for(cluster[key]).get(f"/library/{secret.pk}/")
        assert response.status_code == 404, key
        assert SECRET not in response.content.decode()


def test_a_withdrawn_not_public_resource_shows_no_notice_with_its_title(cluster, secret):
    services.withdraw(secret, "调整", by="qs", site=cluster["county_a"])
    response = client_for(cluster["county_a"]).get(f"/library/{secret.pk}/")
    assert response.status_code == 404 and SECRET not in response.content.decode()


def test_it_is_in_no_catalogue_feed_or_column(cluster, secret):
    for key in ("county_a", "county_b"):
        client = client_for(cluster[key])
        for path in ("/xxgk/", "/feed/", "/feed/policy/", "/policy/", "/"):
            response = client.get(path)
            assert response.status_code == 200, (key, path)
            assert SECRET not in response.content.decode(), (key, path)


def test_it_is_on_no_library_list_page(cluster, secret):
    from tenants.content.models import HomePage, LibraryListItem, LibraryListPage

    with schema_context(cluster["county_a"].schema_name):
        home = HomePage.objects.get()
        picked = LibraryListPage(title="精选", slug="picked-secret")
        picked.library_items = [LibraryListItem(resource_id=secret.pk)]
        home.add_child(instance=picked)
        picked.save_revision().publish()
        query = LibraryListPage(title="查询", slug="query-secret", query_issuing_body="青山县人民政府办公室")
        home.add_child(instance=query)
        query.save_revision().publish()
    client = client_for(cluster["county_a"])
    for path in ("/picked-secret/", "/query-secret/"):
        response = client.get(path)
        assert response.status_code == 200 and SECRET not in response.content.decode(), path


def test_its_public_interpretation_does_not_link_to_it(cluster, secret):
    interpretation = services.create_resource(
        by="qs",
        site=cluster["county_a"],
        publish=True,
        kind="interpretation",
        title="一图读懂青山县工作安排",
        interpretation_of=secret,
    )
    response = client_for(cluster["county_a"]).get(f"/library/{interpretation.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert SECRET not in html and f"/library/{secret.pk}/" not in html


def test_it_cannot_be_syndicated_again(cluster, secret):
    with pytest.raises(ValidationError):
        services.syndicate(secret, [cluster["department"]], "policy", by="ops", site=None)
