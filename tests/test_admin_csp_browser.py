"""The Content-Security-Policy breaks nothing: in Chromium, against the production server, the
admin's login, dashboard, explorer, page editor (with its date chooser and live preview) and the public
pages all load without a single CSP violation."""

from __future__ import annotations

import uuid

import pytest
from django.conf import global_settings
from django.db import connection
from django.test import override_settings
from django_tenants.utils import schema_context

from identity import services
from identity.models import Account
from siteusers.models import User
from tenants.content.models import ArticlePage
from tenants.models import Site
from tests.cluster import host
from tests.helpers import client_for
from tests.people import PASSWORD
from tests.test_public_site_browser import ARTIFACTS, browser  # noqa: F401 - the Chromium fixture

PRODUCTION_HASHERS = global_settings.PASSWORD_HASHERS


@pytest.fixture
def committed_editor(django_db_setup, django_db_blocker):
    """An editor of county A, committed so the separate app server sees it; removed afterwards."""
    username = f"csp-{uuid.uuid4().hex[:8]}"
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        site = Site.objects.get(slug="t-county-a")
        with override_settings(PASSWORD_HASHERS=PRODUCTION_HASHERS):  # the app server checks it
            account = services.create_account(username, PASSWORD, is_operator=False)
        services.grant_role(account, site, "editor", by="test")
        with schema_context(site.schema_name):
            article_id = ArticlePage.objects.get(slug="welcome").pk
        yield username, PASSWORD, article_id
        connection.set_schema_to_public()
        services.revoke_role(account, site, by="test")
        with schema_context(site.schema_name):
            User.objects.filter(username=username).delete()
        Account.objects.filter(pk=account.pk).delete()


def watch_csp(page) -> list[str]:
    """Collect every CSP violation Chromium reports on ``page`` (it logs each to the console)."""
    violations: list[str] = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
    )
    return violations


def test_the_page_editor_loads_and_previews_with_no_csp_violation(app_server, browser, committed_editor):  # noqa: F811
    username, password, article_id = committed_editor
    base = app_server(host("county_a"))
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    page = context.new_page()
    violations = watch_csp(page)

    page.goto(base + "/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(base + "/admin/")
    page.wait_for_load_state("networkidle")

    page.goto(base + "/admin/pages/")
    page.wait_for_load_state("networkidle")

    page.goto(base + f"/admin/pages/{article_id}/edit/")
    page.wait_for_load_state("networkidle")
    assert page.locator("input[name=title]").input_value().endswith("门户网站正式上线")
    page.locator("[data-side-panel-toggle='preview']").first.click()  # live preview frames the page
    page.frame_locator("iframe.w-preview__iframe").first.locator("h1").wait_for()
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(ARTIFACTS / "admin-page-editor-csp.png"))

    page.goto(base + "/admin/pages/add/content/articlepage/" + str(_parent_id(article_id)) + "/")
    page.wait_for_load_state("networkidle")
    page.locator("input[name=publish_date]").click()  # Wagtail's date chooser: an inline-script widget
    page.wait_for_timeout(300)
    page.screenshot(path=str(ARTIFACTS / "admin-add-article-csp.png"))
    context.close()
    assert violations == []


def _parent_id(article_id: int) -> int:

    site = Site.objects.get(slug="t-county-a")
    with schema_context(site.schema_name):
        return ArticlePage.objects.get(pk=article_id).get_parent().pk


def test_public_pages_and_routing_notices_render_under_the_strict_policy(app_server, browser):  # noqa: F811
    page = browser.new_page()
    violations = watch_csp(page)
    page.goto(app_server(host("county_a")) + "/")
    page.get_by_role("link", name="工作动态").first.click()
    page.wait_for_url("**/news/")
    page.goto(app_server("nobody.localhost") + "/")
    assert page.eval_on_selector("body", "el => getComputedStyle(el).maxWidth") != "none"  # nonce'd style applied
    page.screenshot(path=str(ARTIFACTS / "unknown-host-csp.png"))
    page.close()
    assert violations == []


def test_the_admin_policy_is_laxer_only_where_wagtail_needs_it(cluster):
    """Inline scripts/styles (widgets, editor components) are allowed in the admin, never on public pages."""
    admin = client_for(cluster["county_a"]).get("/admin/login/")["Content-Security-Policy"]
    public = client_for(cluster["county_a"]).get("/")["Content-Security-Policy"]
    assert "script-src 'self' 'unsafe-inline'" in admin and "'unsafe-eval'" not in admin
    assert "'unsafe-inline'" not in public
