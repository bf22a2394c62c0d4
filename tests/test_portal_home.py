"""The portal's home page, navigation and footer, over HTTP on each site's domain: what a county's
people see first, in a bounded number of queries whatever the number of columns."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context
from wagtail.images import get_image_model

from console.theme_preview import render_home
from shared_library import services
from tenants.content.models import ArticlePage, ColumnKind, ColumnPage, HomePage, headlines
from tests.helpers import client_for, publish_article
from tests.samples import image
from themes.navigation import main_nav
from themes.registry import THEMES


def home_queries(site) -> tuple[int, str]:
    client = client_for(site)
    client.get("/")  # warm per-process caches (content types, site root paths)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200
    return len(queries), response.content.decode()


def add_columns(site, count: int) -> None:
    with schema_context(site.schema_name):
        home = HomePage.objects.get()
        for number in range(count):
            column = ColumnPage(
                title=f"专题栏目{number}", slug=f"topic-{number}", kind=ColumnKind.GENERAL, show_in_menus=True
            )
            home.add_child(instance=column)
            column.save_revision().publish()
            for day in range(1, 4):
                article = ArticlePage(
                    title=f"专题{number}第{day}篇", body="<p>正文</p>", publish_date=datetime.date(2026, 10, day)
                )
                column.add_child(instance=article)
                article.save_revision().publish()


def test_the_home_page_query_count_does_not_grow_with_the_number_of_columns(cluster, django_assert_max_num_queries):
    site = cluster["county_b"]
    publish_article(site, "notices", "白水县关于冬季供暖的通知", publish_date=datetime.date(2026, 11, 3))
    before, _html = home_queries(site)
    add_columns(site, 6)
    after, html = home_queries(site)
    assert "专题5第3篇" in html and "专题0第1篇" in html  # the new columns are listed …
    assert after == before  # … without one more query each
    add_columns_client = client_for(site)
    add_columns_client.get("/")
    with django_assert_max_num_queries(before):
        add_columns_client.get("/")


def test_a_syndicated_library_item_appears_on_the_target_sites_home_page_only(cluster):
    resource = services.create_resource(
        by="operator",
        site=None,
        publish=True,
        kind="policy",
        title="江城市优化营商环境若干措施",
        issuing_body="江城市人民政府",
        document_number="江政发〔2026〕12号",
        publish_date=datetime.date(2026, 11, 20),
    )
    services.syndicate(resource, [cluster["county_a"]], "policy", by="operator", site=None)
    publish_article(
        cluster["county_a"], "policy", "青山县农村人居环境整治方案", publish_date=datetime.date(2026, 11, 2)
    )
    target = client_for(cluster["county_a"]).get("/").content.decode()
    other = client_for(cluster["county_b"]).get("/").content.decode()
    box = target[target.index('class="home-box home-policy"') :]
    box = box[: box.index("</section>")]
    assert f'href="/library/{resource.pk}/"' in box and "2026-11-20" in box
    assert box.index("江城市优化营商环境若干措施") < box.index("青山县农村人居环境整治方案")  # newest first
    assert "江城市优化营商环境若干措施" not in other


def test_the_home_page_has_headline_notices_service_and_interaction_entries_all_dated(cluster):
    site = cluster["county_a"]
    publish_article(site, "news", "青山县召开秋冬季安全生产会议", summary="会议部署了秋冬季安全生产工作。",
                    publish_date=datetime.date(2026, 11, 10))  # fmt: skip
    publish_article(site, "notices", "青山县关于开展森林防火检查的通知", publish_date=datetime.date(2026, 11, 9))
    html = client_for(site).get("/").content.decode()
    headline = html[html.index('class="home-headline"') :]
    headline = headline[: headline.index("</section>")]
    assert "青山县召开秋冬季安全生产会议" in headline and "会议部署了秋冬季安全生产工作。" in headline
    assert "2026-11-10" in headline
    notices = html[html.index('class="home-box home-notices"') :]
    assert "青山县关于开展森林防火检查的通知" in notices and "2026-11-09" in notices[: notices.index("</section>")]
    for href in ('href="/banshi/"', 'href="/service/"', 'href="/hudong/"', 'href="/ysqgk/"', 'href="/hudong/zhaocuo/"'):
        assert href in html, href
    # Every listed item shows its date.
    for item in re.findall(r'<ul class="article-list[^"]*">(.*?)</ul>', html, re.S):
        for li in re.findall(r"<li>(.*?)</li>", item, re.S):
            assert re.search(r"<time datetime=\"\d{4}-\d{2}-\d{2}\">", li), li


def test_the_navigation_lists_the_fixed_entries_then_the_columns_and_marks_the_current_one(cluster):
    site = cluster["county_b"]
    client = client_for(site)
    nav = re.search(
        r'<nav class="main-nav" aria-label="主导航">(.*?)</nav>', client.get("/news/").content.decode(), re.S
    )[1]
    titles = re.findall(r">([^<>]+)</a>", nav)
    assert titles[:4] == ["首页", "政府信息公开", "政务服务", "互动交流"]
    assert titles[4:] == ["工作动态", "通知公告", "政策文件", "政策解读", "办事服务"]  # 互动交流 column: not twice
    assert re.findall(r'<a href="([^"]+)" aria-current="page">', nav) == ["/news/"]
    home_nav = re.search(r'<nav class="main-nav".*?</nav>', client.get("/").content.decode(), re.S)[0]
    assert re.findall(r'<a href="([^"]+)" aria-current="page">', home_nav) == ["/"]
    xxgk_nav = re.search(r'<nav class="main-nav".*?</nav>', client.get("/xxgk/").content.decode(), re.S)[0]
    assert re.findall(r'<a href="([^"]+)" aria-current="page">', xxgk_nav) == ["/xxgk/"]


def test_the_header_has_a_labelled_search_box_and_a_care_mode_button(cluster):
    html = client_for(cluster["city"]).get("/").content.decode()
    form = re.search(r'<form class="site-search"[^>]*>(.*?)</form>', html, re.S)
    assert 'action="/search/" method="get"' in form[0]
    assert '<label for="site-search-q">' in form[1] and 'id="site-search-q" type="search" name="q"' in form[1]
    assert '<button type="button" class="care-toggle" aria-pressed="false" hidden>关怀模式</button>' in html
    assert re.search(r'<script src="/static/themes/care(\.[0-9a-f]+)?\.js"></script>', html)
    assert "<script>" not in html  # no inline script: the public CSP allows scripts from 'self' only


def test_the_footer_links_every_identity_field(cluster):
    site = cluster["county_b"]
    site.organiser, site.operator, site.contact = "白水县人民政府办公室", "白水县大数据中心", "0710-1234567"
    site.site_code, site.icp_number, site.police_number = (
        "4206240001",
        "鄂ICP备12345678号",
        "鄂公网安备 42062402000123号",
    )
    site.save()
    html = client_for(site).get("/news/").content.decode()
    footer = html[html.index('<footer class="site-footer">') :]
    assert "主办单位：白水县人民政府办公室" in footer and "承办单位：白水县大数据中心" in footer
    assert "联系方式：0710-1234567" in footer and "网站标识码：4206240001" in footer
    assert '<a href="https://beian.miit.gov.cn/" rel="noopener">鄂ICP备12345678号</a>' in footer
    assert 'href="https://beian.mps.gov.cn/#/query/webSearch?code=42062402000123"' in footer
    assert '<a class="conac-badge" href="https://bszs.conac.cn/"' in footer and 'alt="党政机关网站标识"' in footer
    assert 'href="https://zfwzzc.www.gov.cn/"' in footer and 'href="/hudong/zhaocuo/"' in footer
    assert 'href="/sitemap/"' in footer and 'href="/contact/"' in footer


@pytest.mark.parametrize("theme", sorted(THEMES))
def test_the_console_preview_renders_the_home_page_in_every_theme(cluster, theme):
    publish_article(cluster["county_b"], "news", "白水县秋季征兵工作启动", publish_date=datetime.date(2026, 11, 4))
    response = render_home(cluster["county_b"], theme)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<body class="{THEMES[theme].body_classes}">' in html
    assert f"themes/favicon-{theme}" in html and THEMES[theme].stylesheet.removesuffix(".css") in html
    assert "白水县秋季征兵工作启动" in html


def _picture(site, title: str):
    with schema_context(site.schema_name):
        picture = get_image_model()(title=title)
        picture.file.save("头条.png", ContentFile(image("PNG", (800, 500), "navy"), name="头条.png"), save=False)
        picture.save()
        return picture


def test_the_headline_shows_the_cover_or_else_the_first_picture_in_the_body(cluster, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    site = cluster["county_b"]
    cover, in_body = _picture(site, "封面"), _picture(site, "正文图片")
    publish_article(site, "news", "白水县新建城市书房开放", cover=cover, publish_date=datetime.date(2026, 11, 12))
    body = f'<p>现场照片：</p><embed alt="现场" embedtype="image" format="fullwidth" id="{in_body.pk}"/>'
    publish_article(site, "news", "白水县举行秋季运动会", body=body, publish_date=datetime.date(2026, 11, 11))
    with schema_context(site.schema_name):
        shown = headlines(list(ArticlePage.objects.live().order_by("-publish_date")))
    assert [(item.article.title, item.picture) for item in shown[:2]] == [
        ("白水县新建城市书房开放", cover),
        ("白水县举行秋季运动会", in_body),
    ]
    assert shown[2].picture is None  # the welcome article has no picture
    html = client_for(site).get("/").content.decode()
    headline = html[html.index('class="home-headline"') :]
    headline = headline[: headline.index("</section>")]
    assert '<article class="headline-first has-picture">' in headline
    assert re.search(rf'<img alt="" [^>]*src="/media/{site.schema_name}/images/[^"]+\.fill-640x400', headline)
    assert "白水县新建城市书房开放" in headline and "2026-11-12" in headline


def test_the_navigation_is_built_once_per_request(cluster):
    site = cluster["county_a"]
    request = RequestFactory().get("/news/", HTTP_HOST=site.primary_domain)
    request.tenant = site
    with schema_context(site.schema_name):
        with CaptureQueriesContext(connection) as first:
            items = main_nav(request)
        with CaptureQueriesContext(connection) as again:
            assert main_nav(request) is items
    assert len(first) >= 1 and len(again) == 0
    assert [item.title for item in items if item.current] == ["工作动态"]
