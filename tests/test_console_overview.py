"""What operators read: the site list (search, filters, numbers from the stats table), the tree,
the cluster dashboard (charts fed by embedded JSON), statistics kept current by publishing and
reviews, and a theme previewed side by side before it is applied."""

from __future__ import annotations

import io
import json
import re

from django.core.management import call_command
from django.urls import reverse
from django_tenants.utils import schema_context
from wagtail.models import Page

from audit.models import AuditEvent
from console.models import SiteStats
from tenants.models import Site
from tests.console_helpers import operator_client
from tests.helpers import client_for, publish_article
from tests.people import add_article, logged_in, submitter


def listed_names(response) -> list[str]:
    return [row.name for row in response.context["object_list"]]


def test_the_site_list_searches_filters_and_shows_each_sites_numbers(cluster):
    out = io.StringIO()
    call_command("refresh_site_stats", stdout=out, stderr=io.StringIO())
    assert "已统计 5 个站点" in out.getvalue()
    client = operator_client()
    index = reverse("console_sites:index")

    everything = client.get(index)
    assert everything.status_code == 200
    assert set(listed_names(everything)) == {site.name for site in cluster.values()}  # never the platform row
    html = everything.content.decode()
    for text in ("t-county-a.localhost", "县区站点", "运行中", "编辑 0 · 报送 0"):
        assert text in html

    assert set(listed_names(client.get(index, {"kind": "county"}))) == {"青山县人民政府", "白水县人民政府"}
    below_city = listed_names(client.get(index, {"parent": cluster["city"].pk}))
    assert set(below_city) == {"青山县人民政府", "白水县人民政府", "江城市教育局"}
    assert listed_names(client.get(index, {"q": "chengguan-alias"})) == ["青山县城关镇人民政府"]  # by any domain
    assert listed_names(client.get(index, {"status": "closed"})) == []

    town = next(row for row in everything.context["object_list"] if row.slug == "t-town")
    with schema_context(cluster["township"].schema_name):
        assert town.stats.page_count == Page.objects.live().filter(depth__gt=1).count()
    ordered = listed_names(client.get(index, {"ordering": "-stats__page_count"}))
    assert ordered[0] in ("江城市人民政府", "青山县人民政府", "白水县人民政府", "江城市教育局")


def test_the_tree_nests_townships_under_counties_under_the_city(cluster):
    html = operator_client().get(reverse("console_sites:tree")).content.decode()
    city, county, town = html.index("江城市人民政府"), html.index("青山县人民政府"), html.index("青山县城关镇人民政府")
    assert city < county < town
    nested = re.search(r"青山县人民政府.*?<ul role=\"group\">.*?青山县城关镇人民政府", html, re.S)
    assert nested is not None


def test_publishing_and_reviews_keep_a_sites_numbers_current(cluster):
    town = cluster["township"]
    SiteStats.objects.filter(site=town).delete()

    article = publish_article(town, "news", "城关镇召开党委会")
    stats = SiteStats.objects.get(site=town)
    assert stats.last_published_at is not None
    with schema_context(town.schema_name):
        live = Page.objects.live().filter(depth__gt=1).count()
        assert stats.page_count == live

        article.unpublish()
    assert SiteStats.objects.get(site=town).page_count == live - 1

    submitter("xiaoma", town, ["news"])
    add_article(logged_in(town, "xiaoma"), town, "news", "请审核", action="action-submit")
    assert SiteStats.objects.get(site=town).pending_reviews == 1


def test_the_console_home_is_a_cluster_dashboard_with_charts_fed_by_embedded_json(cluster):
    AuditEvent.objects.create(action="publish", actor_username="zz", site=cluster["county_a"], object_repr="文章甲")
    SiteStats.objects.update_or_create(site=cluster["county_b"], defaults={"pending_reviews": 7})
    response = operator_client().get(reverse("wagtailadmin_home"))
    html = response.content.decode()
    assert response.status_code == 200

    data = json.loads(re.search(r'<script id="console-charts" type="application/json">(.*?)</script>', html, re.S)[1])
    kinds = dict(zip(data["kind"]["labels"], data["kind"]["data"], strict=True))
    assert kinds == {"市级门户": 1, "县区站点": 2, "部门站点": 1, "乡镇（街道）站点": 1}
    assert dict(zip(data["status"]["labels"], data["status"]["data"], strict=True))["运行中"] == 5
    assert len(data["timeline"]["labels"]) == 12 and sum(data["timeline"]["created"]) == 5
    assert data["pending"] == {"labels": ["白水县人民政府"], "data": [7]}

    assert "console/vendor/chartjs/chart.umd.min.js" in html and "console/dashboard.js" in html
    panel = re.search(r'<section class="console-dashboard".*?</section>', html, re.S)[0]
    assert re.findall(r"<script[^>]*>", panel) == ['<script id="console-charts" type="application/json">']
    assert "文章甲" in html and "待审核稿件：共 7 篇" in html
    assert "5 个站点" in html  # the summary row counts sites, not the platform schema's own pages


def test_a_theme_is_previewed_side_by_side_and_applied_only_when_saved(cluster):
    client = operator_client()
    county = cluster["county_b"]  # wears 政务蓝 (default)

    page = client.get(reverse("console_sites:theme", args=[county.pk]), {"theme": "red"}).content.decode()
    assert "?theme=default" in page and "?theme=red" in page

    preview = client.get(reverse("console_sites:preview", args=[county.pk]), {"theme": "red"})
    assert preview.status_code == 200 and "themes/red.css" in preview.content.decode()
    assert "白水县人民政府" in preview.content.decode()
    assert preview["X-Frame-Options"] == "SAMEORIGIN"
    assert Site.objects.get(pk=county.pk).theme == "default"
    assert "themes/default.css" in client_for(county).get("/").content.decode()
    assert client.get(reverse("console_sites:preview", args=[county.pk]), {"theme": "nope"}).status_code == 400
    assert "themes/red.css" not in client_for(county).get("/?preview_theme=red").content.decode()

    client.post(reverse("console_sites:theme", args=[county.pk]), {"theme": "red"})
    assert Site.objects.get(pk=county.pk).theme == "red"
    assert "themes/red.css" in client_for(county).get("/").content.decode()
    event = AuditEvent.objects.get(action="site_update", site=county)
    assert event.details["changes"] == {"theme": ["政务蓝", "党政红"]}
