"""The public portal in a real browser, as the people of a county use it: every page type in each of
the three themes, on a desktop and on a phone, with axe-core (WCAG 2.1 AA) at 0 violations, no
sideways scrolling on the phone, and a screenshot of each in ``test-artifacts/portal/``; care mode
remembered across pages; print styles.

Content is committed (the app server is another process) and removed afterwards.
"""

from __future__ import annotations

import datetime
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.db import connection
from django_tenants.utils import schema_context

from audit.models import AuditEvent
from shared_library import services
from shared_library.models import Genre, Resource, TopicCategory
from tenants.models import Site
from tests.cluster import host
from tests.helpers import publish_article
from tests.test_public_site_browser import ARTIFACTS, browser, fetch  # noqa: F401 - the Chromium fixture

SHOTS = ARTIFACTS / "portal"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# One site per theme: 党政红, 政务蓝 and (for this module) 生态绿.
THEMED = {"red": "county_a", "default": "county_b", "green": "department"}
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
LONG_SOURCE = "江城市人民政府办公室（江城市大数据和政务服务管理局、江城市政务公开工作领导小组办公室）联合发布"
AXE = Axe()
VNU_JAR = Path(os.environ.get("ZQ_VNU_JAR", "/tmp/tools/node_modules/vnu-jar/build/dist/vnu.jar"))


@pytest.fixture(scope="module")
def portal(django_db_setup, django_db_blocker):
    """For each themed site: news with a long source line, a notice, a policy with a link in its
    body, and a library policy document syndicated into its 政策文件 column. Returns the paths of
    the pages to visit per theme."""
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        last_event = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        sites = {theme: Site.objects.get(slug=host(key).split(".")[0]) for theme, key in THEMED.items()}
        old_theme = sites["green"].theme
        Site.objects.filter(pk=sites["green"].pk).update(theme="green")
        resource = services.create_resource(
            by="operator",
            site=None,
            publish=True,
            kind="policy",
            title="江城市人民政府关于印发《江城市促进数字经济高质量发展若干措施》的通知",
            body='<p>各县（市、区）人民政府，市政府各部门：</p><p>详见<a href="https://www.gov.cn/">中国政府网</a>。</p>',
            topic=TopicCategory.objects.get(name="综合政务"),
            genre=Genre.objects.get(name="通知"),
            issuing_body="江城市人民政府办公室",
            document_number="江政发〔2026〕15号",
            written_date=datetime.date(2026, 11, 18),
            publish_date=datetime.date(2026, 11, 20),
        )
        services.syndicate(resource, list(sites.values()), "policy", by="operator", site=None)
        made: dict[str, list[int]] = {}
        paths = {}
        for theme, site in sites.items():
            news = publish_article(
                site,
                "news",
                f"{site.name}召开2026年度优化营商环境暨政务服务效能提升工作推进会议",
                body='<p>会议要求，各部门要对照<a href="https://www.gov.cn/zhengce/">国务院政策文件库</a>逐项落实。</p>'
                + "<p>会议强调，要坚持以人民为中心的发展思想，持续深化“放管服”改革。</p>" * 4,
                source=LONG_SOURCE,
                slug="portal-news",
                summary="会议总结了今年以来的工作，部署了下一阶段重点任务。",
                publish_date=datetime.date(2026, 11, 21),
            )
            notice = publish_article(site, "notices", f"{site.name}关于2026年冬季森林防火工作的通知",
                                     publish_date=datetime.date(2026, 11, 19), slug="portal-notice")  # fmt: skip
            made[site.schema_name] = [news.pk, notice.pk]
            paths[theme] = {
                "home": "/",
                "column": "/news/",
                "article": f"/news/{news.slug}/",
                "xxgk": "/xxgk/",
                "resource": f"/library/{resource.pk}/",
            }
        connection.set_schema_to_public()
    yield paths
    with django_db_blocker.unblock():
        from tenants.content.models import ArticlePage

        for schema, pks in made.items():
            with schema_context(schema):
                for article in ArticlePage.objects.filter(pk__in=pks):
                    article.delete()
        connection.set_schema_to_public()
        Resource.objects.filter(pk=resource.pk).delete()
        Site.objects.filter(pk=sites["green"].pk).update(theme=old_theme)
        AuditEvent.objects.filter(pk__gt=last_event).delete()
        connection.close()  # opened inside Playwright's greenlet: leave no session behind


def axe_violations(page) -> list[str]:
    results = AXE.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
    return [
        f"{violation['id']}: {[node['target'] for node in violation['nodes']][:3]}"
        for violation in results.response["violations"]
    ]


def overflow(page) -> int:
    """How many CSS pixels the page is wider than the screen (0: no sideways scrolling)."""
    return page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_every_page_type_in_every_theme_is_accessible_and_fits_the_screen(app_server, browser, portal, viewport):  # noqa: F811
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="zh-CN")
    page = context.new_page()
    problems = []
    for theme, key in THEMED.items():
        for kind, path in portal[theme].items():
            response = page.goto(app_server(host(key)) + path)
            assert response.status == 200, (theme, kind, path, response.status)
            assert page.locator("body").get_attribute("class").startswith(f"theme-{theme} ")
            page.screenshot(path=str(SHOTS / f"{theme}-{kind}-{viewport}.png"), full_page=True)
            violations = axe_violations(page)
            if violations:
                problems.append(f"{theme} {kind} {viewport}: {violations}")
            if viewport == "phone" and overflow(page) > 0:
                problems.append(f"{theme} {kind} {viewport}: {overflow(page)}px wider than the screen")
    context.close()
    assert not problems, "\n".join(problems)


def test_the_phone_catalogue_is_a_filter_panel_and_cards_and_the_article_meta_wraps(app_server, browser, portal):  # noqa: F811
    context = browser.new_context(viewport=VIEWPORTS["phone"], locale="zh-CN")
    page = context.new_page()
    page.goto(app_server(host("county_b")) + "/xxgk/")
    assert page.locator("details.xxgk-facets").get_attribute("open") is None  # collapsed on a phone
    assert not page.get_by_role("heading", name="主题分类").is_visible()
    page.locator("details.xxgk-facets > summary").click()
    assert page.get_by_role("heading", name="主题分类").is_visible()
    row = page.locator(".xxgk-list tbody tr").first
    assert page.locator(".xxgk-list thead").bounding_box()["height"] <= 1  # the header row is not shown
    cell = row.locator("td.title")
    assert cell.bounding_box()["width"] > 300  # a card, not a column squeezed to one character a line
    labels = row.locator("td").evaluate_all("tds => tds.map(td => getComputedStyle(td, '::before').content)")
    for label in ("索引号", "发布机构", "发文字号", "发布日期"):
        assert f'"{label}："' in labels, labels  # each field labelled on its card
    page.goto(app_server(host("county_b")) + portal["default"]["article"])
    meta = page.locator(".meta")
    assert LONG_SOURCE in meta.inner_text()
    assert meta.bounding_box()["width"] <= 390 and overflow(page) == 0
    context.close()


def test_desktop_catalogue_shows_the_facets_open_beside_a_table(app_server, browser, portal):  # noqa: F811
    page = browser.new_page(viewport=VIEWPORTS["desktop"])
    page.goto(app_server(host("county_a")) + "/xxgk/")
    assert page.get_by_role("heading", name="主题分类").is_visible()
    assert page.locator(".xxgk-list thead th").first.is_visible()
    facets, table = page.locator(".xxgk-facets").bounding_box(), page.locator(".xxgk-list").bounding_box()
    assert facets["x"] + facets["width"] <= table["x"]  # side by side
    page.get_by_role("link", name="综合政务（1）").click()
    page.wait_for_url("**/xxgk/?topic=*")
    assert page.locator(".xxgk-list tbody tr").count() == 1
    assert page.locator("a[aria-current='true']").inner_text() == "综合政务（1）"
    page.close()


def test_care_mode_is_a_toggle_remembered_across_pages_and_stays_accessible(app_server, browser, portal):  # noqa: F811
    context = browser.new_context(viewport=VIEWPORTS["desktop"], locale="zh-CN")
    page = context.new_page()
    base = app_server(host("county_b"))
    page.goto(base + "/")
    toggle = page.get_by_role("button", name="关怀模式")
    assert toggle.get_attribute("aria-pressed") == "false"
    size_before = page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)")
    toggle.click()
    assert toggle.get_attribute("aria-pressed") == "true"
    assert "care" in page.locator("html").get_attribute("class")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="工作动态").click()
    page.wait_for_url("**/news/")
    assert "care" in page.locator("html").get_attribute("class")
    assert page.get_by_role("button", name="关怀模式").get_attribute("aria-pressed") == "true"
    assert page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)") >= size_before * 1.2
    assert not page.locator(".sidebar").is_visible()  # simplified: one column
    page.screenshot(path=str(SHOTS / "care-mode-column-desktop.png"), full_page=True)
    assert axe_violations(page) == []
    for theme, key in THEMED.items():  # each site is its own origin: the choice is per site
        page.goto(app_server(host(key)) + "/")
        if page.get_by_role("button", name="关怀模式").get_attribute("aria-pressed") == "false":
            page.get_by_role("button", name="关怀模式").click()
        for kind in ("home", "article", "xxgk", "resource"):
            page.goto(app_server(host(key)) + portal[theme][kind])
            assert "care" in (page.locator("html").get_attribute("class") or ""), (theme, kind)
            assert axe_violations(page) == [], (theme, kind)
            page.screenshot(path=str(SHOTS / f"care-{theme}-{kind}-desktop.png"), full_page=True)
    page.set_viewport_size(VIEWPORTS["phone"])  # larger text must still fit a phone
    for theme, key in THEMED.items():
        for kind in ("home", "article", "xxgk"):
            page.goto(app_server(host(key)) + portal[theme][kind])
            assert "care" in (page.locator("html").get_attribute("class") or ""), (theme, kind)
            assert axe_violations(page) == [] and overflow(page) <= 0, (theme, kind, overflow(page))
            page.screenshot(path=str(SHOTS / f"care-{theme}-{kind}-phone.png"), full_page=True)
    page.set_viewport_size(VIEWPORTS["desktop"])
    page.goto(base + portal["default"]["article"])
    page.get_by_role("button", name="关怀模式").click()  # off again
    page.goto(base + "/")
    assert "care" not in (page.locator("html").get_attribute("class") or "")
    context.close()


def test_without_javascript_the_page_works_and_the_care_button_is_not_offered(app_server, browser, portal):  # noqa: F811
    context = browser.new_context(viewport=VIEWPORTS["phone"], java_script_enabled=False)
    page = context.new_page()
    page.goto(app_server(host("department")) + "/")
    assert page.get_by_role("navigation", name="主导航").get_by_role("link", name="政府信息公开").is_visible()
    assert not page.locator(".care-toggle").is_visible()
    assert page.get_by_role("searchbox", name="站内搜索").is_visible()
    context.close()


def test_printing_an_article_or_a_policy_document_keeps_the_document_without_the_chrome(app_server, browser, portal):  # noqa: F811
    page = browser.new_page(viewport=VIEWPORTS["desktop"])
    for theme, kind in (("red", "article"), ("default", "resource")):
        page.goto(app_server(host(THEMED[theme])) + portal[theme][kind])
        page.emulate_media(media="print")
        assert not page.locator(".main-nav").is_visible()
        assert not page.locator(".header-tools").is_visible() and not page.locator(".sidebar").is_visible()
        body = page.locator(".document .body")
        assert body.is_visible() and page.locator(".document .meta").is_visible()
        assert "来源" in page.locator(".document .meta").inner_text()
        main = page.locator("main").bounding_box()
        assert main["width"] >= page.viewport_size["width"] - 2  # full width
        after = page.eval_on_selector(".document .body a[href^='https']", "a => getComputedStyle(a, '::after').content")
        assert "https://www.gov.cn/" in after  # the URL is printed after the link
        page.screenshot(path=str(SHOTS / f"print-{theme}-{kind}.png"), full_page=True)
        page.emulate_media(media="screen")
    page.close()


def test_the_served_html_of_every_page_type_has_no_nu_checker_error(app_server, portal):
    """The W3C Nu checker (``vnu.jar``, ``npm install vnu-jar``; ``ZQ_VNU_JAR`` elsewhere) over the
    HTML exactly as served. The files stay in test-artifacts/portal/html/ for a look."""
    folder = SHOTS / "html"
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for theme, key in THEMED.items():
        for kind, path in portal[theme].items():
            status, _headers, body = fetch(app_server(host(key)) + path)
            assert status == 200, (theme, kind)
            files.append(folder / f"{theme}-{kind}.html")
            files[-1].write_bytes(body)
    if not VNU_JAR.exists() or not shutil.which("java"):
        pytest.skip(f"Nu checker not found at {VNU_JAR} (or no java): the HTML is saved in {folder}")
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--errors-only", *map(str, files)], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr
