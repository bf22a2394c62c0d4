"""The results page in a real browser on the production server: desktop and phone, with the scope
switch and filters, and no axe-core violations."""

from __future__ import annotations

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.db import connection

from sitesearch import indexing
from tenants.models import Site
from tests.cluster import WELCOME_TITLE, host
from tests.test_public_site_browser import ARTIFACTS, browser  # noqa: F401 - the shared browser fixture


@pytest.fixture(scope="module")
def indexed_cluster(django_db_setup, django_db_blocker):
    """The session cluster's committed pages in the index (what the receivers did while it was built)."""
    with django_db_blocker.unblock():
        for site in Site.objects.exclude(kind="platform"):
            indexing.reindex_site(site.schema_name)
        connection.set_schema_to_public()


@pytest.mark.django_db  # the test database (a module without one would reach the real database)
@pytest.mark.parametrize(("label", "viewport"), [("desktop", (1280, 900)), ("phone", (390, 844))])
def test_a_citizen_searches_a_county_site_then_the_whole_cluster(app_server, browser, indexed_cluster, label, viewport):  # noqa: F811
    size = {"width": viewport[0], "height": viewport[1]}
    context = browser.new_context(viewport=size, locale="zh-CN", bypass_csp=True)  # axe is injected by script
    page = context.new_page()
    page.goto(app_server(host("county_a")) + "/search/?q=门户网站")
    title = WELCOME_TITLE.format(name="青山县人民政府")
    hits = page.locator(".search-hit-title a")
    assert hits.count() == 1 and hits.first.inner_text() == title
    assert page.locator(".search-hit-title mark").first.inner_text() == "门户网站"
    page.screenshot(path=str(Path(ARTIFACTS) / f"search-results-{label}.png"), full_page=True)
    violations = Axe().run(page).response["violations"]
    assert violations == [], [(v["id"], v["help"], [n["target"] for n in v["nodes"]]) for v in violations]
    # switch to the whole cluster: every site's welcome article, each linking to its own site
    page.get_by_label("全站群（市、县区、部门、乡镇及资源库）").check()
    page.locator("main").get_by_role("button", name="搜索").click()  # the header has its own search box
    page.wait_for_url("**scope=cluster**")
    assert page.locator(".search-hit-title a").count() >= 5
    assert "（全站群）" in page.locator(".search-count").inner_text()
    page.screenshot(path=str(Path(ARTIFACTS) / f"search-cluster-{label}.png"), full_page=True)
    assert Axe().run(page).response["violations"] == []
    context.close()
