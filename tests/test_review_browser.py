"""The review chain in a real browser on the production server: a township clerk submits, the
county editor approves from the county admin's 待审核 queue, the article is live on the township's
domain. Every admin screen on the way is scanned for English; screenshots go to ``test-artifacts/``."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.utils.crypto import get_random_string
from django_tenants.utils import schema_context

from identity import services
from identity.models import Account
from tests.cluster import host
from tests.people import PASSWORD
from tests.test_public_site_browser import ARTIFACTS, browser  # noqa: F401  (the module's Chromium fixture)
from tests.visible_text import english_words

TITLE = "城关镇开展冬季消防安全检查"
# Latin words a screen may legitimately show: people's login names shown in the account menu.
ALLOW = {"br", "clerk", "editor"}


@pytest.fixture(scope="module")
def people(django_db_setup, django_db_blocker):
    """Committed accounts (the app server is another process): a clerk on the township and an
    editor on its county. Removed afterwards with what they wrote."""
    from tenants.models import Site

    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        town, county = Site.objects.get(slug="t-town"), Site.objects.get(slug="t-county-a")
        clerk = services.create_account("br-clerk", PASSWORD, display_name="城关镇信息员")
        reviewer = services.create_account("br-editor", PASSWORD, display_name="青山县网站编辑")
        for account in (clerk, reviewer):
            # the app server runs production settings, which do not know the tests' MD5 hasher
            account.password = PBKDF2PasswordHasher().encode(PASSWORD, get_random_string(16), iterations=1000)
            account.save(update_fields=["password"])
        services.grant_role(clerk, town, "submitter", columns=["news"], by="test")
        services.grant_role(reviewer, county, "editor", by="test")
        connection.set_schema_to_public()
    yield town, county
    with django_db_blocker.unblock():
        from tenants.content.models import ArticlePage

        for account in Account.objects.filter(username__in=["br-clerk", "br-editor"]):
            for role in list(account.roles.select_related("site")):
                services.revoke_role(account, role.site, by="test")
        with schema_context(town.schema_name):
            for article in ArticlePage.objects.filter(title=TITLE):
                article.delete()
        connection.set_schema_to_public()


def _no_english(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"review-{name}.png"), full_page=True)
    words = english_words(page.locator("body").inner_text(), ALLOW)
    assert not words, f"{name}: {words}"


def _login(context, base: str, username: str, name: str):
    page = context.new_page()
    page.goto(base + "/admin/login/")
    _no_english(page, f"{name}-login")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit], form input[type=submit]").first.click()
    page.wait_for_load_state("load")
    if not page.url.endswith("/admin/"):
        page.screenshot(path=str(ARTIFACTS / f"review-{name}-login-failed.png"), full_page=True)
        raise AssertionError(f"login of {username} failed at {page.url}: {page.locator('body').inner_text()[:500]}")
    return page


def test_submit_queue_approve_live(app_server, browser, people, django_db_blocker):  # noqa: F811
    town, county = people
    town_base, county_base = app_server(host("township")), app_server(host("county_a"))
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")

    clerk = _login(context, town_base, "br-clerk", "clerk")
    with django_db_blocker.unblock(), schema_context(town.schema_name):
        from tenants.content.models import ColumnPage

        news = ColumnPage.objects.get(slug="news").pk
    clerk.goto(f"{town_base}/admin/pages/{news}/add_subpage/")
    _no_english(clerk, "clerk-choose-type")
    clerk.goto(f"{town_base}/admin/pages/add/content/articlepage/{news}/")
    clerk.fill("#id_title", TITLE)
    clerk.locator(".DraftEditor-root [contenteditable=true]").first.click()
    clerk.keyboard.type("为切实做好冬季消防安全工作，城关镇组织开展专项检查。")
    assert clerk.input_value("#id_source") == town.name
    # Draftail copies its text into the hidden form field on its own schedule: submit only once it has.
    # (polled from here: the admin's CSP forbids the eval behind Playwright's wait_for_function)
    deadline = time.monotonic() + 30
    while "消防" not in clerk.locator("input[name=body]").input_value():
        assert time.monotonic() < deadline, "Draftail did not copy the text into the form within 30 s"
        clerk.wait_for_timeout(100)
    _no_english(clerk, "clerk-editor")
    # Wagtail's autosave may be creating the page right now (whenever the machine is slow enough for
    # its first request to be in flight): the click then waits for it and goes to the page's edit
    # URL (tenants/content/static/content/submit_after_autosave.js). So wait for the explorer the
    # submission lands on, not for the first navigation (the autosave's own URL change counts as one).
    clerk.evaluate("document.querySelector('[name=action-submit]').click()")
    clerk.wait_for_url(f"{town_base}/admin/pages/{news}/", timeout=90_000)
    _no_english(clerk, "clerk-submitted")
    with django_db_blocker.unblock(), schema_context(town.schema_name):
        from tenants.content.models import ArticlePage

        assert ArticlePage.objects.filter(title=TITLE).count() == 1  # submitted once, however slow the server
    clerk.goto(town_base + "/admin/")
    assert "我的报送" in clerk.content() and TITLE in clerk.content()
    _no_english(clerk, "clerk-dashboard-submitted")

    reviewer = _login(browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN"), county_base,
                      "br-editor", "reviewer")  # fmt: skip
    _no_english(reviewer, "reviewer-dashboard")
    reviewer.goto(county_base + "/admin/review/")
    row = reviewer.locator("tr", has_text=TITLE)
    assert town.name in row.inner_text() and "工作动态" in row.inner_text()
    _no_english(reviewer, "queue")
    with reviewer.expect_navigation():
        row.get_by_role("button", name="通过并发布").click()
    reviewer.wait_for_load_state("load")
    assert f"已审核通过“{TITLE}”，已发布" in reviewer.content()
    _no_english(reviewer, "queue-approved")

    with django_db_blocker.unblock(), schema_context(town.schema_name):
        from tenants.content.models import ArticlePage

        article = ArticlePage.objects.get(title=TITLE)
        assert article.live
        path = article.url_path.replace("/home", "", 1)
    public = context.new_page()
    public.goto(town_base + path)
    assert public.locator("h1").inner_text() == TITLE
    public.screenshot(path=str(ARTIFACTS / "review-live-on-township.png"), full_page=True)
    context.close()
