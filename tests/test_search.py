"""Chinese search on a site and across the cluster (issue 17), as citizens use it: over HTTP on the
sites' own domains, the index kept current by the receivers' tasks (run on commit here)."""

from __future__ import annotations

import datetime
import re
from urllib.parse import unquote

import pytest
from django.core.management import call_command
from django.db import connection
from django_tenants.utils import schema_context
from wagtail.models import PageViewRestriction

from console import sites as site_services
from shared_library import services
from sitesearch import indexing, tasks
from sitesearch.models import QueryStat, SearchDocument
from tenants.content.models import ArticlePage, ColumnPage
from tenants.events import site_changed_on_commit
from tests.closure_ops import close_by_hand, township
from tests.helpers import client_for, publish_article


@pytest.fixture
def indexed(django_capture_on_commit_callbacks):
    """Run what commits would run (the index tasks) at the end of the block."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def search(on, q: str, **params) -> tuple[int, str]:
    response = client_for(on).get("/search/", {"q": q, **params})
    connection.set_schema_to_public()  # the request left the connection on the site's schema
    return response.status_code, response.content.decode()


def titles(html: str) -> list[str]:
    found = re.findall(r'<h2 class="search-hit-title"><a href="[^"]*">(.*?)</a></h2>', html)
    return [re.sub(r"</?mark>", "", title) for title in found]


def links(html: str) -> list[str]:
    return [unquote(link) for link in re.findall(r'<h2 class="search-hit-title"><a href="([^"]*)">', html)]


@pytest.fixture
def city_policy(cluster, indexed):
    """A policy contributed by the city portal to the library, syndicated to the township."""
    with indexed():
        resource = services.create_resource(
            by="city-editor", site=cluster["city"], publish=True, kind="policy",
            title="江城市促进民营经济发展若干措施", body="<p>为进一步优化营商环境，促进民营经济高质量发展……</p>",
            issuing_body="江城市人民政府", document_number="江政发〔2026〕8号",
            written_date=datetime.date(2026, 11, 2), publish_date=datetime.date(2026, 11, 5),
        )  # fmt: skip
        services.syndicate(resource, [cluster["township"]], "notices", by="operator", site=None)
    return resource


def test_a_citizen_on_a_township_site_finds_an_article_by_a_two_character_word(cluster, indexed):
    with indexed():
        publish_article(cluster["township"], "news", "城关镇卫生院开展义诊活动", body="<p>为群众免费测量血压。</p>")
    status, html = search(cluster["township"], "义诊")
    assert status == 200
    assert titles(html) == ["城关镇卫生院开展义诊活动"]
    assert "<mark>义诊</mark>" in html
    assert '<p class="search-hit-snippet">为群众免费测量血压。</p>' in html  # the body's text, as text
    assert "工作动态" in html and "2026-11-01" in html  # column and date
    # a word of the body, a longer compound, and a word that is not there
    assert titles(search(cluster["township"], "血压")[1]) == ["城关镇卫生院开展义诊活动"]
    assert titles(search(cluster["township"], "卫生院义诊")[1]) == ["城关镇卫生院开展义诊活动"]
    assert titles(search(cluster["township"], "防汛")[1]) == []


def test_a_citizen_finds_a_city_policy_syndicated_to_the_township_by_its_document_number(cluster, city_policy):
    for q in ("江政发〔2026〕8号", "江政发", "民营经济"):
        status, html = search(cluster["township"], q)
        assert status == 200
        assert titles(html) == ["江城市促进民营经济发展若干措施"], q
        assert links(html) == [f"/library/{city_policy.pk}/"], q  # on the township itself
    assert f"索引号：{city_policy.index_number}" in html and "文号：江政发〔2026〕8号" in html


def test_a_cluster_wide_search_finds_the_same_policy_once_on_the_city_portal(cluster, city_policy):
    assert titles(search(cluster["county_b"], "江政发")[1]) == []  # not shown on county B
    status, html = search(cluster["county_b"], "江政发", scope="cluster")
    assert status == 200
    assert titles(html) == ["江城市促进民营经济发展若干措施"]  # once, though two sites show it
    assert links(html) == [f"http://t-city.localhost/library/{city_policy.pk}/"]
    assert "江城市人民政府" in html  # the site it is on


def test_unpublished_withdrawn_and_not_public_items_are_never_found(cluster, city_policy, indexed):
    town = cluster["township"]
    with indexed():
        article = publish_article(town, "news", "城关镇防汛演练圆满完成")
        secret = services.create_resource(  # contributed by the county, so "shown" there
            by="a-editor", site=cluster["county_a"], publish=True, kind="policy", title="青山县防汛物资储备清单",
            disclosure="not_public",
        )  # fmt: skip
        with schema_context(town.schema_name):
            draft = ArticlePage(title="城关镇防汛工作草稿", body="<p>防汛</p>")
            ArticlePage.objects.get(pk=article.pk).get_parent().add_child(instance=draft)
            draft.save_revision()  # saved, never published
    assert titles(search(town, "防汛")[1]) == ["城关镇防汛演练圆满完成"]
    assert titles(search(cluster["county_a"], "防汛物资", scope="cluster")[1]) == []
    with indexed():
        with schema_context(town.schema_name):
            ArticlePage.objects.get(pk=article.pk).unpublish()
        services.withdraw(city_policy, "政策调整", by="operator", site=None)
    assert titles(search(town, "防汛")[1]) == []
    assert titles(search(town, "防汛", scope="cluster")[1]) == []
    assert titles(search(town, "江政发", scope="cluster")[1]) == []
    assert not SearchDocument.objects.filter(object_id__in=[secret.pk, city_policy.pk], site_id=0).exists()


def test_a_private_page_is_not_found_and_a_moved_page_is_found_at_its_new_address(cluster, indexed):
    town = cluster["township"]
    with indexed():
        private = publish_article(town, "news", "城关镇内部值班安排")
        moving = publish_article(town, "news", "城关镇冬季供暖服务指南")
    assert titles(search(town, "值班")[1]) == ["城关镇内部值班安排"]
    with indexed(), schema_context(town.schema_name):
        PageViewRestriction.objects.create(page=private, restriction_type="password", password="值班表")
        ArticlePage.objects.get(pk=moving.pk).move(ColumnPage.objects.get(slug="service"), pos="last-child")
    assert titles(search(town, "值班")[1]) == []
    assert links(search(town, "供暖")[1]) == [f"/service/{moving.slug}/"]


def test_a_columns_own_description_is_searchable(cluster, indexed):
    town = cluster["township"]
    with indexed(), schema_context(town.schema_name):
        column = ColumnPage.objects.get(slug="service")
        column.intro = "<p>提供户籍、社保、医保等便民办事指南。</p>"
        column.save_revision().publish()
    html = search(town, "户籍")[1]
    assert titles(html) == ["便民服务"] and links(html) == ["/service/"]


def test_a_search_on_site_a_never_returns_site_b_items_unless_cluster_wide(cluster, indexed):
    with indexed():
        publish_article(cluster["county_a"], "news", "青山县白鹭湖湿地保护工作推进会召开")
    assert titles(search(cluster["county_b"], "湿地")[1]) == []
    html = search(cluster["county_b"], "湿地", scope="cluster")[1]
    assert titles(html) == ["青山县白鹭湖湿地保护工作推进会召开"]
    assert links(html)[0].startswith("http://t-county-a.localhost/news/")
    # the site filter of a cluster search
    assert titles(search(cluster["county_b"], "湿地", scope="cluster", site="t-county-b")[1]) == []
    assert titles(search(cluster["county_b"], "湿地", scope="cluster", site="t-county-a")[1]) != []


def test_a_suspended_sites_items_leave_the_cluster_search_and_come_back_on_resume(cluster, indexed):
    with indexed():
        publish_article(cluster["department"], "news", "江城市教育局部署秋季学期开学工作")
    assert titles(search(cluster["city"], "开学", scope="cluster")[1]) == ["江城市教育局部署秋季学期开学工作"]
    with indexed():
        site_services.suspend(cluster["department"], "系统维护", by="operator")
    assert titles(search(cluster["city"], "开学", scope="cluster")[1]) == []
    with indexed():
        site_services.resume(cluster["department"], by="operator")
    assert titles(search(cluster["city"], "开学", scope="cluster")[1]) == ["江城市教育局部署秋季学期开学工作"]


def test_after_a_closure_the_migrated_article_is_found_at_the_parents_address(cluster, indexed):
    county = cluster["county_a"]
    with indexed():
        x = township("srch-town", county, name="青山县搜索镇人民政府")
    assert links(search(x, "安全生产")[1]) == ["/news/安全生产会议/"]
    with indexed():
        close_by_hand(x, county, section_slug="搜索镇")
        site_changed_on_commit(x.pk, "closed")
    html = search(county, "安全生产", scope="cluster")[1]
    assert titles(html) == ["城关镇召开安全生产工作会议"]  # once: X's own copy is gone
    assert links(html) == ["/搜索镇/news/安全生产会议/"]
    assert not SearchDocument.objects.filter(schema_name=x.schema_name).exists()


def test_an_index_task_for_site_a_run_on_site_b_schema_indexes_a(cluster):
    article = publish_article(cluster["county_a"], "news", "青山县举办农民丰收节")  # no commit: not indexed yet
    assert not SearchDocument.objects.filter(schema_name=cluster["county_a"].schema_name, object_id=article.pk).exists()
    with schema_context(cluster["county_b"].schema_name):
        tasks.index_pages.call(cluster["county_a"].schema_name, [article.pk])
        assert connection.schema_name == cluster["county_b"].schema_name
    row = SearchDocument.objects.get(schema_name=cluster["county_a"].schema_name, object_id=article.pk)
    assert row.site_ids == [cluster["county_a"].pk] and row.title == "青山县举办农民丰收节"


def test_traditional_characters_and_mixed_tokens_find_simplified_text(cluster, indexed):
    town = cluster["township"]
    with indexed():
        publish_article(town, "notices", "城关镇政府信息公开工作年度报告", body="<p>2024年度，本镇网站运行平稳。</p>")
        publish_article(town, "news", "12345热线办理情况通报", body="<p>G20峰会期间热线畅通。</p>")
    for q in ("政府資訊公開", "網站", "信息公开", "2024年", "12345热线", "12345", "G20", "g20"):
        assert titles(search(town, q)[1]), q
    assert titles(search(town, "政府資訊公開")[1]) == ["城关镇政府信息公开工作年度报告"]


def test_titles_are_escaped_and_only_the_match_is_marked(cluster, indexed):
    with indexed():
        publish_article(cluster["township"], "news", "<script>alert(1)</script>便民服务指南")
    html = search(cluster["township"], "便民")[1]
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<mark>便民</mark>服务指南" in html


def test_empty_overlong_and_fruitless_queries_get_a_clear_message_and_hot_searches(cluster, indexed):
    town = cluster["township"]
    with indexed():
        publish_article(town, "news", "城关镇开展垃圾分类宣传")
    status, html = search(town, "")
    assert status == 200 and "请输入要搜索的词语" in html
    status, html = search(town, "长" * 51)
    assert status == 400 and "搜索词过长" in html
    status, html = search(town, "a\x00b")
    assert status == 400 and "空字符" in html
    search(town, "垃圾分类")
    search(town, "垃圾分类")
    status, html = search(town, "火星探测")
    assert status == 200 and "没有找到与“火星探测”相关的内容" in html
    assert "热门搜索" in html and "垃圾分类" in html
    stats = {row.query: (row.searches, row.zero_results) for row in QueryStat.objects.filter(site_id=town.pk)}
    assert stats["垃圾分类"] == (2, 0) and stats["火星探测"] == (1, 1)
    assert not QueryStat.objects.filter(site_id=cluster["county_b"].pk).exists()  # per site


def test_filters_sort_and_paging(cluster, indexed, settings):
    settings.ZQ_SEARCH_PAGE_SIZE = 2
    town = cluster["township"]
    with indexed():
        for day in range(1, 6):
            publish_article(town, "news", f"城关镇秸秆禁烧巡查第{day}次", publish_date=datetime.date(2025, 3, day))
        publish_article(town, "notices", "关于秸秆禁烧的通告", publish_date=datetime.date(2026, 1, 1))
    html = search(town, "秸秆", sort="date")[1]
    assert "找到 6 条结果" in html and titles(html) == ["关于秸秆禁烧的通告", "城关镇秸秆禁烧巡查第5次"]
    assert "第 1 / 3 页" in html
    last_page = titles(search(town, "秸秆", sort="date", page=3)[1])
    assert last_page == ["城关镇秸秆禁烧巡查第2次", "城关镇秸秆禁烧巡查第1次"]
    assert titles(search(town, "秸秆", kind="notices")[1]) == ["关于秸秆禁烧的通告"]
    assert "找到 5 条结果" in search(town, "秸秆", year=2025)[1]
    assert search(town, "秸秆", year="99999")[0] == 400


def test_reindex_rebuilds_a_site_and_the_library(cluster, city_policy, capsys):
    SearchDocument.objects.all().delete()
    call_command("reindex", "--site", "t-town")
    call_command("reindex", "--library")
    assert titles(search(cluster["township"], "门户网站")[1]) == ["青山县城关镇人民政府门户网站正式上线"]
    assert titles(search(cluster["township"], "江政发")[1]) == ["江城市促进民营经济发展若干措施"]
    assert indexing.page_count(cluster["township"].schema_name) >= 1
