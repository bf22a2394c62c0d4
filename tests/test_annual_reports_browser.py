"""The public 政府网站工作年度报表 page in a real browser (production server), desktop and phone: axe-core
finds no WCAG 2.1 AA violation, the table fits a phone's width, screenshots in ``test-artifacts/web/``.
The report is committed (the app server is another process) and removed afterwards."""

from __future__ import annotations

import pytest
from annualreports import services
from annualreports.models import SiteReport

from tenants.models import Site
from tests.cluster import CLUSTER, host
from tests.test_portal_browser import VIEWPORTS, axe_violations
from tests.test_public_site_browser import ARTIFACTS, browser  # noqa: F401 - browser is a fixture

YEAR = 2025


@pytest.fixture(scope="module")
def published(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        site = Site.objects.get(slug=CLUSTER["county_b"].slug)
        report = services.fill_site_report(site, YEAR, by="browser-test")
        services.edit_site_report(report, {"weibo_name": "白水发布", "visitors": 123456}, by="browser-test")
        services.publish_site_report(report, by="browser-test")
    yield
    with django_db_blocker.unblock():
        SiteReport.objects.filter(pk=report.pk).delete()


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_the_published_report_page_is_accessible_on_desktop_and_phone(app_server, browser, published, viewport):  # noqa: F811
    (ARTIFACTS / "web").mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="zh-CN", bypass_csp=True)
    page = context.new_page()
    page.goto(app_server(host("county_b")) + "/")
    page.get_by_role("link", name=f"政府网站工作年度报表（{YEAR}年度）").click()
    page.wait_for_url(f"**/ndbb/{YEAR}/")
    assert page.locator("h1").inner_text() == f"政府网站工作年度报表（{YEAR}年度）"
    assert page.get_by_role("row", name="独立用户访问总量（单位：个） 123456").is_visible()
    assert page.get_by_role("link", name="PDF 文件").is_visible()
    page.screenshot(path=str(ARTIFACTS / "web" / f"annual-report-{viewport}.png"), full_page=True)
    overflow = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    violations = axe_violations(page)
    context.close()
    assert violations == [], violations
    assert overflow, "the report table is wider than the screen"
