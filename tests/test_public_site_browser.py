"""What a citizen sees: the production server answers each tenant domain, in a real browser.

Runs gunicorn with production settings (DEBUG off, WhiteNoise static files) against the test
database and drives Debian's Chromium with Playwright. Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

import os
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.cluster import WELCOME_TITLE, host

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
CHROMIUM = os.environ.get("ZQ_CHROMIUM", "/usr/bin/chromium")


def fetch(url: str) -> tuple[int, dict, bytes]:
    """GET through 127.0.0.1 with the URL's host in the Host header (glibc may not resolve
    ``*.localhost``; browsers do)."""
    parts = urllib.parse.urlsplit(url)
    request = urllib.request.Request(
        f"http://127.0.0.1:{parts.port}{parts.path or '/'}", headers={"Host": parts.netloc}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run ./zq test (it installs it) or set ZQ_CHROMIUM")
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's loop shares the thread with fixtures
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic"],
        )  # fmt: skip
        yield browser
        browser.close()


def test_the_production_server_routes_each_domain_and_serves_static_files(app_server):
    status, _headers, body = fetch(app_server(host("county_a")) + "/")
    assert status == 200 and "青山县人民政府" in body.decode()
    status, _headers, body = fetch(app_server("nobody.localhost") + "/")
    assert status == 404 and "站点不存在" in body.decode()
    assert "青山县" not in body.decode()
    page = fetch(app_server(host("county_a")) + "/")[2].decode()
    stylesheet = page.split('rel="stylesheet" href="', 1)[1].split('"', 1)[0]
    assert stylesheet.startswith("/static/themes/base.") and stylesheet.endswith(".css")  # hashed name
    status, headers, _ = fetch(app_server(host("county_a")) + stylesheet)
    assert status == 200 and "text/css" in headers.get("Content-Type", "")
    assert "max-age=315360000" in headers.get("Cache-Control", "")  # immutable, cached for years


def test_a_citizen_reads_a_county_site_on_a_phone_and_follows_a_column_to_an_article(app_server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = context.new_page()
    page.goto(app_server(host("county_a")) + "/")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert page.title().startswith("青山县人民政府")
    page.screenshot(path=str(ARTIFACTS / "county-a-home-mobile.png"), full_page=True)
    page.get_by_role("link", name="工作动态").first.click()
    page.wait_for_url("**/news/")
    page.get_by_role("link", name=WELCOME_TITLE.format(name="青山县人民政府")).click()
    assert page.locator("h1").inner_text() == WELCOME_TITLE.format(name="青山县人民政府")
    assert "发布日期" in page.locator(".meta").inner_text()
    page.screenshot(path=str(ARTIFACTS / "county-a-article-mobile.png"), full_page=True)
    context.close()


def test_each_site_wears_its_own_theme(app_server, browser):
    page = browser.new_page()
    colours = {}
    for key in ("county_a", "county_b"):
        page.goto(app_server(host(key)) + "/")
        colours[key] = page.eval_on_selector(".site-header", "el => getComputedStyle(el).backgroundColor")
        page.screenshot(path=str(ARTIFACTS / f"{key}-home.png"))
    assert colours["county_a"] == "rgb(181, 18, 27)"  # 党政红
    assert colours["county_b"] == "rgb(11, 78, 162)"  # 政务蓝
    page.close()
