"""The themed 404 page and the 网站地图 in a real browser (production server), desktop and phone:
no horizontal overflow on a phone, axe-core finds no WCAG 2.1 AA violation, screenshots in
``test-artifacts/web/``."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.cluster import host
from tests.test_public_site_browser import ARTIFACTS, browser, fetch  # noqa: F401 - browser is a fixture

AXE_JS = Path(os.environ.get("ZQ_AXE_JS", "/tmp/tools/node_modules/axe-core/axe.min.js"))
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page) -> list[dict]:
    page.add_script_tag(content=AXE_JS.read_text(encoding="utf-8"))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
    return [{"id": v["id"], "nodes": [n["target"] for n in v["nodes"]]} for v in result["violations"]]


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_a_visitor_who_mistypes_an_address_gets_the_sites_404_and_finds_the_site_map(app_server, browser, viewport):  # noqa: F811
    (ARTIFACTS / "web").mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="zh-CN", bypass_csp=True)
    page = context.new_page()
    response = page.goto(app_server(host("county_a")) + "/zhengce/no-such-file/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "抱歉，您访问的页面不存在"
    assert page.get_by_role("searchbox", name="查找本站内容").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(ARTIFACTS / "web" / f"404-{viewport}.png"), full_page=True)
    violations_404 = axe_violations(page) if AXE_JS.exists() else []

    page.get_by_role("link", name="网站地图").first.click()
    page.wait_for_url("**/sitemap/")
    assert page.locator("h1").inner_text() == "网站地图"
    assert page.get_by_role("link", name="政府信息公开目录").is_visible()
    assert page.locator("main").get_by_role("link", name="江城市人民政府").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(ARTIFACTS / "web" / f"sitemap-{viewport}.png"), full_page=True)
    violations_map = axe_violations(page) if AXE_JS.exists() else []
    context.close()
    assert violations_404 == [], json.dumps(violations_404, ensure_ascii=False)
    assert violations_map == [], json.dumps(violations_map, ensure_ascii=False)


def test_robots_and_sitemap_from_the_production_server(app_server):
    status, headers, body = fetch(app_server(host("township")) + "/robots.txt")
    assert status == 200 and f"Sitemap: http://{host('township')}:" in body.decode()
    status, headers, body = fetch(app_server(host("township")) + "/sitemap.xml")
    assert status == 200 and body.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    status, _headers, body = fetch(app_server(host("township")) + "/no-such-page/")
    assert status == 404 and "青山县城关镇人民政府" in body.decode()
