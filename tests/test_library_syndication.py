"""Syndication (转载) of one library resource to several sites, checked over HTTP on their domains:
provenance and canonical link, live edits, withdrawal answering 410 everywhere, column listings."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from shared_library import services
from shared_library.models import Syndication
from tests.helpers import client_for, publish_article


@pytest.fixture
def policy(cluster):
    """A policy document published by the platform (source: 市政府) and syndicated to two counties."""
    resource = services.create_resource(
        by="operator",
        site=None,
        publish=True,
        kind="policy",
        title="江城市促进民营经济发展若干措施",
        body="<p>为进一步促进民营经济发展……</p>",
        issuing_body="江城市人民政府",
        document_number="江政发〔2026〕8号",
        written_date=datetime.date(2026, 11, 2),
        publish_date=datetime.date(2026, 11, 5),
    )
    created = services.syndicate(resource, [cluster["county_a"], cluster["county_b"]], "policy", by="operator")
    assert created == 2
    return resource


def test_a_syndicated_resource_shows_on_every_chosen_site_with_provenance(cluster, policy):
    for key in ("county_a", "county_b"):
        response = client_for(cluster[key]).get(f"/library/{policy.pk}/")
        assert response.status_code == 200, key
        html = response.content.decode()
        assert "江城市促进民营经济发展若干措施" in html
        assert "来源：市政府" in html
        assert policy.index_number in html and "江政发〔2026〕8号" in html
        assert '<link rel="canonical" href="http://' in html
        assert cluster[key].name in html  # rendered inside that site's own frame


def test_the_canonical_link_points_at_the_contributing_site(cluster):
    resource = services.create_resource(
        by="a-editor", site=cluster["county_a"], publish=True, kind="article", title="青山县经验做法"
    )
    services.syndicate(resource, [cluster["county_b"]], "news", by="operator", site=None)  # pushed by the platform
    response = client_for(cluster["county_b"]).get(f"/library/{resource.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    canonical = f"http://{cluster['county_a'].primary_domain}/library/{resource.pk}/"
    assert f'<link rel="canonical" href="{canonical}">' in html
    assert "来源：青山县人民政府" in html
    assert canonical in response.headers["Link"]
    # and the contributing site shows its own resource without a syndication of its own
    assert client_for(cluster["county_a"]).get(f"/library/{resource.pk}/").status_code == 200


def test_a_site_it_was_not_syndicated_to_answers_404(cluster, policy):
    assert client_for(cluster["department"]).get(f"/library/{policy.pk}/").status_code == 404
    assert client_for(cluster["city"]).get(f"/library/{policy.pk}/").status_code == 404


def test_an_unpublished_resource_is_not_shown_even_if_syndicated(cluster, policy):
    services.update_resource(policy, by="operator", site=None, status="draft")
    assert client_for(cluster["county_a"]).get(f"/library/{policy.pk}/").status_code == 404


def test_editing_the_resource_updates_every_site_at_once(cluster, policy):
    services.update_resource(policy, by="operator", site=None, title="江城市促进民营经济发展若干措施（修订）")
    for key in ("county_a", "county_b"):
        html = client_for(cluster[key]).get(f"/library/{policy.pk}/").content.decode()
        assert "江城市促进民营经济发展若干措施（修订）" in html, key


def test_withdrawing_removes_it_everywhere_with_a_410_notice(cluster, policy):
    services.withdraw(policy, "政策已调整", by="operator", site=None)
    for key in ("county_a", "county_b"):
        response = client_for(cluster[key]).get(f"/library/{policy.pk}/")
        assert response.status_code == 410, key
        html = response.content.decode()
        assert "该信息已撤回" in html and "政策已调整" in html
        assert "为进一步促进民营经济发展" not in html
        column = client_for(cluster[key]).get("/policy/").content.decode()
        assert "江城市促进民营经济发展若干措施" not in column


def test_the_column_lists_syndicated_resources_merged_with_its_own_articles(cluster, policy):
    publish_article(cluster["county_a"], "policy", "青山县本地政策", publish_date=datetime.date(2026, 11, 6))
    publish_article(cluster["county_a"], "policy", "青山县旧政策", publish_date=datetime.date(2026, 11, 1))
    response = client_for(cluster["county_a"]).get("/policy/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="/library/{policy.pk}/"' in html and "来源：市政府" in html
    # merged by date: 11-06 (own), 11-05 (library), 11-01 (own)
    assert html.index("青山县本地政策") < html.index("江城市促进民营经济发展若干措施") < html.index("青山县旧政策")
    # another column of the same site does not list it
    assert "江城市促进民营经济发展若干措施" not in client_for(cluster["county_a"]).get("/news/").content.decode()


def test_syndicating_again_is_idempotent_and_versioned(cluster, policy):
    again = services.syndicate(policy, [cluster["county_a"], cluster["city"]], "policy", by="operator", site=None)
    assert again == 1
    assert Syndication.objects.filter(resource=policy).count() == 3
    actions = list(policy.versions.order_by("number").values_list("action", flat=True))
    assert actions == ["create", "syndicate", "syndicate"]
    assert client_for(cluster["city"]).get(f"/library/{policy.pk}/").status_code == 200


def test_only_published_public_resources_can_be_syndicated(cluster):
    draft = services.create_resource(by="operator", site=None, title="草稿")
    with pytest.raises(ValidationError):
        services.syndicate(draft, [cluster["county_a"]], "news", by="operator", site=None)
    secret = services.create_resource(by="operator", site=None, publish=True, title="内部", disclosure="not_public")
    with pytest.raises(ValidationError):
        services.syndicate(secret, [cluster["county_a"]], "news", by="operator", site=None)


def test_a_library_list_page_shows_hand_picked_and_queried_resources(cluster, policy):
    from django_tenants.utils import schema_context

    from tenants.content.models import HomePage, LibraryListItem, LibraryListPage

    other = services.create_resource(
        by="operator", site=None, publish=True, kind="notice", title="江城市停水通知", issuing_body="江城水务"
    )
    services.syndicate(other, [cluster["county_a"]], "notices", by="operator", site=None)
    with schema_context(cluster["county_a"].schema_name):
        home = HomePage.objects.get()
        picked = LibraryListPage(title="精选文件", slug="picked")
        picked.library_items = [LibraryListItem(resource_id=policy.pk)]
        home.add_child(instance=picked)
        picked.save_revision().publish()
        query = LibraryListPage(title="水务通知", slug="water", query_issuing_body="江城水务")
        home.add_child(instance=query)
        query.save_revision().publish()
    client = client_for(cluster["county_a"])
    html = client.get("/picked/").content.decode()
    assert "江城市促进民营经济发展若干措施" in html and "江城市停水通知" not in html
    html = client.get("/water/").content.decode()
    assert "江城市停水通知" in html and "江城市促进民营经济发展若干措施" not in html


def test_the_syndication_benchmark_runs_and_leaves_nothing_behind(cluster):
    from io import StringIO

    from django.core.management import call_command

    from shared_library.models import Resource
    from tenants.models import Site

    sites_before = Site.objects.count()
    out = StringIO()
    call_command("bench_syndication", sites=20, stdout=out)
    text = out.getvalue()
    assert "syndicate() 到 20 个站点" in text and "返回 [410, 410]" in text
    assert Site.objects.count() == sites_before and not Resource.objects.exists()
