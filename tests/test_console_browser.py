"""Every console screen in a real browser (Chromium) against the production app server, with
screenshots in ``test-artifacts/console-*.png``: an operator logs in, reads the dashboard and the
site list, creates a county (after a refused duplicate), adds an alias (after a refused IP literal),
previews a theme, uploads a CSV with bad rows, resets a person's password, and suspends a site.

The app server commits what the browser does, so everything made here is removed at the end.
"""

from __future__ import annotations

import http.client
import urllib.parse

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django_tenants.utils import get_public_schema_name, schema_context

from audit.models import AuditEvent
from console.models import BulkImport, SiteStats
from identity import services
from identity.models import Account, SiteRole
from siteusers.models import User
from tenants.models import Domain, Site, SiteStatus
from tests.cluster import host
from tests.people import PASSWORD
from tests.test_public_site_browser import ARTIFACTS, browser, fetch  # noqa: F401 - browser is a fixture

PLATFORM = "platform.localhost"
OPERATOR = "ops-browser"
MADE_SLUGS = ["browser-county", "csv-good-county"]


def _remove_sites(slugs: list[str]) -> None:
    for site in Site.objects.filter(slug__in=slugs).order_by("-pk"):
        Domain.objects.filter(tenant=site).delete()
        SiteStats.objects.filter(site=site).delete()
        SiteRole.objects.filter(site=site).delete()
        site.delete()
        with connection.cursor() as cursor:
            cursor.execute(f'DROP SCHEMA IF EXISTS "{site.schema_name}" CASCADE')


@pytest.fixture(scope="module")
def committed(django_db_setup, django_db_blocker):
    """An operator and an editor committed for the app server; afterwards every row the browser
    made (sites, schemas, accounts, audit events, jobs) is removed, so later tests see the cluster
    as it was."""
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        last_event = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        services.create_account(OPERATOR, PASSWORD, is_operator=True, display_name="平台运维")
        person = services.create_account("browser-editor", PASSWORD, display_name="李编辑")
        county_a = Site.objects.get(slug="t-county-a")
        services.grant_role(person, county_a, "editor", by="test")
        # The test settings hash with MD5, which the production app server does not accept.
        hasher = PBKDF2PasswordHasher()
        Account.objects.filter(username__in=[OPERATOR, "browser-editor"]).update(
            password=hasher.encode(PASSWORD, hasher.salt())
        )
        county_b_pk = Site.objects.get(slug="t-county-b").pk

    yield {"county_b": county_b_pk}
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        Site.objects.filter(slug="t-county-b").update(status=SiteStatus.ACTIVE, theme="default")
        _remove_sites(MADE_SLUGS)
        for account in Account.objects.filter(username__in=[OPERATOR, "browser-editor"]):
            for role in account.roles.select_related("site"):
                services.revoke_role(account, role.site)
            account.delete()
        with schema_context(get_public_schema_name()):
            User.objects.filter(username__in=[OPERATOR, "browser-editor"]).delete()
        with schema_context(county_a.schema_name):
            User.objects.filter(username="browser-editor").delete()
        BulkImport.objects.all().delete()
        AuditEvent.objects.filter(pk__gt=last_event).delete()
        connection.close()  # opened inside Playwright's greenlet: leave no session behind


@pytest.fixture
def console(app_server, browser, committed):  # noqa: F811 - pytest fixture by name
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    page = context.new_page()
    base = app_server(PLATFORM)
    page.goto(base + "/admin/login/")
    page.fill("#id_username", OPERATOR)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/admin/")
    yield page, base, committed
    context.close()


def fetch_once(url: str) -> tuple[int, dict]:
    """One request, redirects not followed (their targets are ``*.localhost`` names glibc may not
    resolve), through 127.0.0.1 with the URL's host in the Host header."""
    parts = urllib.parse.urlsplit(url)
    connection_ = http.client.HTTPConnection("127.0.0.1", parts.port, timeout=10)
    connection_.request("GET", parts.path or "/", headers={"Host": parts.netloc})
    response = connection_.getresponse()
    headers = dict(response.getheaders())
    connection_.close()
    return response.status, headers


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"console-{name}.png"), full_page=True)


def test_an_operator_runs_the_cluster_from_the_browser(console, app_server):
    page, base, data = console

    # The dashboard: charts drawn by Chart.js from the embedded JSON.
    page.wait_for_function("() => window.Chart && Chart.getChart(document.getElementById('chart-status'))")
    assert page.evaluate("Chart.getChart(document.getElementById('chart-kind')).data.datasets[0].data") == [1, 2, 1, 1]
    assert page.locator("h3", has_text="待审核稿件").count() == 1
    shot(page, "dashboard")

    # The site list, filtered, and the tree.
    page.goto(base + "/admin/console/sites/?kind=county")
    assert page.locator("table.listing tbody tr").count() == 2
    shot(page, "site-list-counties")
    page.goto(base + "/admin/console/sites/tree/")
    page.locator(".console-tree a", has_text="青山县城关镇人民政府").wait_for()
    shot(page, "site-tree")

    # Create a county: first with a slug in use (refused, per field), then for real.
    page.goto(base + "/admin/console/sites/new/")
    page.fill("#id_name", "浏览器县人民政府")
    page.fill("#id_slug", "t-county-a")
    page.select_option("#id_kind", "county")
    page.select_option("#id_parent", label="江城市人民政府")
    page.fill("#id_site_code", "12345")
    page.click("form.console-form button[type=submit]")
    slug_error = page.locator('[data-field-name="slug"] .error-message')
    slug_error.first.wait_for()
    assert any("已被使用" in text for text in slug_error.all_inner_texts())
    assert not any("Schema" in text for text in slug_error.all_inner_texts())
    shot(page, "site-create-duplicate-slug")
    page.fill("#id_slug", "browser-county")
    page.click("form.console-form button[type=submit]")
    page.wait_for_url("**/admin/console/sites/*/")
    assert page.locator("h1, h2", has_text="浏览器县人民政府").count() >= 1
    assert "与常见格式" in page.content()  # 标识码 warning
    status, _headers, body = fetch(app_server("browser-county.localhost") + "/")
    assert status == 200 and "浏览器县人民政府" in body.decode()

    # Domains: an IP literal is refused under the field; an alias is added and redirects.
    page.fill("#id_domain", "10.0.0.8")
    page.click("form:has(input[value=add]) button[type=submit]")
    assert "是 IP 地址" in page.locator('[data-field-name="domain"] .error-message').inner_text()
    shot(page, "site-domain-ip-refused")
    page.fill("#id_domain", "liulanqi.localhost")
    page.click("form:has(input[value=add]) button[type=submit]")
    page.locator("td code", has_text="liulanqi.localhost").wait_for()
    shot(page, "site-detail")
    status, headers = fetch_once(app_server("liulanqi.localhost") + "/news/")
    assert status == 301 and headers["Location"].endswith("//browser-county.localhost:" + base.rsplit(":", 1)[1]
                                                           + "/news/")  # fmt: skip

    # Identity: the edit form.
    page.goto(base + page.url.split(base, 1)[1] + "edit/")
    page.locator("#id_organiser").fill("浏览器县人民政府办公室")
    shot(page, "site-edit")
    page.click("form.console-form button[type=submit]")
    page.locator("dd", has_text="浏览器县人民政府办公室").wait_for()

    # Theme: the home page in two themes side by side.
    county_b = data["county_b"]
    page.goto(base + f"/admin/console/sites/{county_b}/theme/?theme=red")
    frames = page.locator(".console-previews iframe")
    assert frames.count() == 2
    page.wait_for_function(
        "() => [...document.querySelectorAll('.console-previews iframe')]"
        ".every(f => f.contentDocument && f.contentDocument.querySelector('.site-header'))"
    )
    colours = [frame.evaluate("f => getComputedStyle(f.contentDocument.querySelector('.site-header')).backgroundColor")
               for frame in frames.element_handles()]  # fmt: skip
    assert colours == ["rgb(11, 78, 162)", "rgb(181, 18, 27)"]  # 政务蓝 now, 党政红 previewed
    shot(page, "site-theme-preview")

    # Suspend a site: its public pages answer 503 with a notice.
    page.goto(base + f"/admin/console/sites/{county_b}/")
    page.fill("#id_reason", "安全检查")
    page.click("form:has(input[value=suspend]) button[type=submit]")
    page.locator(".w-status", has_text="暂停服务").first.wait_for()
    shot(page, "site-suspended")
    status, _headers, body = fetch(app_server(host("county_b")) + "/")
    assert status == 503 and "暂停服务" in body.decode()
    public = page.context.new_page()
    public.goto(app_server(host("county_b")) + "/")
    public.screenshot(path=str(ARTIFACTS / "console-public-suspended-notice.png"))
    public.close()


def test_bulk_creation_shows_progress_and_the_bad_rows(console, tmp_path):
    page, base, data = console
    csv_file = tmp_path / "sites.csv"
    csv_file.write_text(
        "name,slug,kind,parent_slug\n"
        "批量县人民政府,csv-good-county,county,t-city\n"
        "重复的县,t-county-a,county,t-city\n"
        "孤立的镇,csv-orphan,township,\n",
        encoding="utf-8",
    )
    page.goto(base + "/admin/console/sites/bulk/")
    shot(page, "bulk-upload")
    page.set_input_files("#id_file", str(csv_file))
    page.click("form.console-form button[type=submit]")
    page.wait_for_url("**/admin/console/sites/bulk/*/")
    page.wait_for_selector("text=已完成", timeout=60_000)  # the page polls, then reloads when done
    assert page.locator("table.listing", has_text="必须指定上级站点").count() == 1
    page.locator("a", has_text="下载出错行报告").wait_for()
    shot(page, "bulk-result")


def test_an_operator_finds_a_person_and_resets_their_password(console):
    page, base, data = console
    page.goto(base + "/admin/console/accounts/?q=青山县")
    shot(page, "people-search")
    page.get_by_role("link", name="browser-editor", exact=True).click()
    page.locator("td a", has_text="青山县人民政府").wait_for()
    page.click("form:has(input[value=reset]) button[type=submit]")
    temporary = page.locator("#temporary-password").inner_text()
    assert len(temporary) == 14
    shot(page, "person-reset")
    page.locator(".w-status", has_text="下次登录须修改密码").wait_for()
