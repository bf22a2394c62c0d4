"""Planning a closure (关停上移, issue 13): an inventory of X and a new URL for every URL it serves,
with the conflicts listed, changing nothing on either site; and the closures that must be refused."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django_tenants.utils import schema_context
from wagtail.models import Page

from audit.models import AuditEvent
from tenants.closure.execute import execute
from tenants.closure.models import Closure, ClosureStatus
from tenants.closure.notice import start_notice
from tenants.closure.plan import plan_closure, plan_rows, write_csv
from tenants.models import Site
from tests import closure_scenario
from tests.helpers import client_for


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


@pytest.fixture
def scenario(cluster, media):
    return closure_scenario.build()


def page_count(site) -> int:
    with schema_context(site.schema_name):
        return Page.objects.count()


def test_the_plan_maps_every_url_the_township_serves_and_changes_nothing(scenario):
    town, county = scenario.town, scenario.county
    before = (page_count(town), page_count(county), client_for(town).get("/").content)

    closure = plan_closure(town, by="operator")

    assert closure.target == county and closure.status == ClosureStatus.PLANNED
    assert (page_count(town), page_count(county), client_for(town).get("/").content) == before
    town.refresh_from_db()
    assert town.status == "active"
    counts = closure.plan["counts"]
    assert counts["pages"] == 34 and counts["columns"] == 5 and counts["images"] == 1 and counts["renditions"] == 1
    assert counts["documents"] == 1 and counts["contributed_resources"] == 1 and counts["syndications"] == 2
    assert counts["roles"] == 4 and counts["redirects"] == 1
    assert set(closure.plan["domains"]) == {town.primary_domain, scenario.alias}

    urls = {row.path: row for row in closure.urls.all()}
    root = "http://cl-county.localhost"
    assert urls["/"].new_url == f"{root}/cl-town/" and urls["/"].kind == "home"
    # Chinese slugs and nested columns keep their shape under the section.
    assert urls["/镇情概况/历史沿革/建制沿革/"].new_url == f"{root}/cl-town/镇情概况/历史沿革/建制沿革/"
    assert urls["/镇情概况/历史沿革/建制沿革/"].title == "城关镇建制沿革"
    # X's "news" would clash with the county's own "news" column: it becomes the section's cl-town-news.
    assert urls["/news/dongtai-3/"].new_url == f"{root}/cl-town/cl-town-news/dongtai-3/"
    assert (
        urls["/news/?page=2"].new_url == f"{root}/cl-town/cl-town-news/?page=2" and urls["/news/?page=2"].kind == "list"
    )
    assert "/news/?page=3" not in urls
    for resource in scenario.resources.values():
        assert urls[f"/library/{resource.pk}/"].new_url == f"{root}/library/{resource.pk}/"
    assert urls["/xxgk/"].new_url == f"{root}/xxgk/"
    assert urls["/feed/"].new_url == f"{root}/feed/cl-town/"
    assert urls["/feed/news/"].new_url == f"{root}/feed/cl-town-news/"
    document = urls[f"/documents/{scenario.documents['town']}/通知.pdf"]
    assert document.status_code == 301 and document.new_url == ""  # its id on P is known once copied
    images = [row for row in urls.values() if row.kind in ("image", "rendition")]
    assert len(images) == 2
    assert all(row.new_url.startswith(f"{root}/media/site_cl_county/original_images/cl-town/") for row in images)
    assert urls["/old-notice"].new_url == f"{root}/cl-town/cl-town-notices/spring-fire/"

    conflicts = {(c["code"], c.get("slug") or c.get("name")): c for c in closure.plan["conflicts"]}
    assert conflicts[("slug", "news")]["new_slug"] == "cl-town-news"
    assert conflicts[("file_name", "通知.pdf")]["blocking"] is False
    assert not [c for c in closure.plan["conflicts"] if c["blocking"]]
    assert AuditEvent.objects.filter(action="closure_plan", site=town, object_id=str(closure.pk)).exists()

    stream = io.StringIO()
    written = write_csv(closure, stream)
    lines = stream.getvalue().lstrip("\ufeff").splitlines()
    assert lines[0] == "原地址,新地址,响应码,类型,标题" and written == len(urls) == len(lines) - 1
    assert (
        f"http://cl-town.localhost/镇情概况/城关镇简介/,{root}/cl-town/镇情概况/城关镇简介/,301,页面,城关镇简介"
        in lines
    )
    assert len(list(plan_rows(closure))) == len(urls)


def test_an_operator_can_send_a_column_into_one_of_the_targets_own_columns(scenario):
    closure = plan_closure(scenario.town, by="operator", column_map={"notices": "column:notices"})
    urls = {row.path: row.new_url for row in closure.urls.all()}
    assert urls["/notices/"] == "http://cl-county.localhost/notices/"
    assert urls["/notices/spring-fire/"] == "http://cl-county.localhost/notices/spring-fire/"
    assert closure.column_map["notices"] == {"mode": "column", "target": "notices"}

    # Re-planning the same closure with a column the county lacks: listed, and execution refuses.
    again = plan_closure(scenario.town, by="operator", column_map={"service": "column:不存在"})
    assert again.pk == closure.pk
    blocking = [c for c in again.plan["conflicts"] if c["blocking"]]
    assert [c["code"] for c in blocking] == ["missing_column"] and "不存在" in blocking[0]["message"]
    start_notice(again, by="operator", notice_days=0, reason="测试")
    with pytest.raises(ValidationError, match="迁入站点没有栏目"):
        execute(again, by="operator")


def test_bad_column_maps_are_refused_clearly(cluster):
    town = cluster["township"]
    with pytest.raises(ValidationError, match="关停站点没有栏目“nope”"):
        plan_closure(town, by="operator", column_map={"nope": "section"})
    with pytest.raises(ValidationError, match="映射“elsewhere”无效"):
        plan_closure(town, by="operator", column_map={"news": "elsewhere"})
    with pytest.raises(ValidationError, match="迁入栏目代号“a b”无效"):
        plan_closure(town, by="operator", section_slug="a b")
    assert not Closure.objects.filter(site=town).exists()


def test_a_section_slug_the_target_already_uses_is_a_blocking_conflict(cluster):
    closure = plan_closure(cluster["township"], by="operator", section_slug="news")
    assert [c["code"] for c in closure.plan["conflicts"] if c["blocking"]] == ["section_slug"]
    with pytest.raises(ValidationError, match="迁入栏目代号与迁入站点冲突"):
        start_notice(closure, by="operator")


def test_closures_that_make_no_sense_are_refused(cluster):
    town, county, city = cluster["township"], cluster["county_a"], cluster["city"]
    platform = Site.objects.get(schema_name="public")
    cases = [
        (platform, None, "平台本身不能关停"),
        (city, None, "没有上级站点"),
        (town, town, "不能迁入自身"),
        (county, town, "不能迁入本站点的下级站点"),
        (town, platform, "不能迁入平台本身"),
    ]
    for site, target, message in cases:
        with pytest.raises(ValidationError, match=message):
            plan_closure(site, target, by="operator")

    county_b = cluster["county_b"]
    plan_closure(county_b, city, by="operator")
    with pytest.raises(ValidationError, match="有进行中的关停任务"):
        plan_closure(town, county_b, by="operator")
    Site.objects.filter(pk=county_b.pk).update(status="closed")
    county_b.refresh_from_db()
    with pytest.raises(ValidationError, match="已关停或正在关停"):
        plan_closure(town, county_b, by="operator")

    first = plan_closure(town, by="operator")
    assert plan_closure(town, by="operator").pk == first.pk  # planning again refreshes the same plan
    with pytest.raises(ValidationError, match="正在接收"):
        plan_closure(county, city, by="operator")  # the county is receiving the township
    Closure.objects.filter(pk=first.pk).update(status=ClosureStatus.EXECUTING)
    with pytest.raises(ValidationError, match="不能重新规划"):
        plan_closure(town, by="operator")
    assert Closure.objects.filter(site=town).count() == 1
