"""A clerk on a slow link clicks 提交审核 while Wagtail's first autosave of the new article is still on
its way: the article exists once, submitted, with all its text, and the county's 待审核 queue lists it
once. (Before tenants/content/static/content/submit_after_autosave.js both requests went to the
create URL and each created a page.)

The slow link is made deterministic: the browser holds every POST to the create URL (Playwright's
``route``) until the test lets it through, the autosave first."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.utils.crypto import get_random_string
from django_tenants.utils import schema_context
from wagtail.models import WorkflowState

from identity import services
from identity.models import Account
from tests.cluster import host
from tests.people import PASSWORD
from tests.test_public_site_browser import ARTIFACTS, browser  # noqa: F401  (the module's Chromium fixture)
from tests.test_review_browser import _login

TITLE = "城关镇部署冬季道路结冰防范工作"
TEXT = "镇应急办组织各村对辖区道路开展结冰隐患排查。"
DRAFT_TITLE = "城关镇冬季供暖保障情况（草稿）"
CLERK, REVIEWER = "as-clerk", "as-editor"


@pytest.fixture(scope="module")
def people(django_db_setup, django_db_blocker):
    """Committed accounts (the app server is another process), removed afterwards with what they wrote."""
    from tenants.models import Site

    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        town, county = Site.objects.get(slug="t-town"), Site.objects.get(slug="t-county-a")
        clerk = services.create_account(CLERK, PASSWORD, display_name="城关镇信息员")
        reviewer = services.create_account(REVIEWER, PASSWORD, display_name="青山县网站编辑")
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

        for account in Account.objects.filter(username__in=[CLERK, REVIEWER]):
            for role in list(account.roles.select_related("site")):
                services.revoke_role(account, role.site, by="test")
        with schema_context(town.schema_name):
            for article in ArticlePage.objects.filter(title__in=[TITLE, DRAFT_TITLE]):
                article.delete()
        connection.set_schema_to_public()


def _wait(page, condition, seconds: float, what: str) -> None:
    """Poll ``condition`` while Playwright serves its route handlers (the admin's CSP forbids the eval
    behind ``wait_for_function``)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            page.screenshot(path=str(ARTIFACTS / "autosave-timeout.png"), full_page=True)
            raise AssertionError(f"timed out waiting for {what}")
        page.wait_for_timeout(100)


def _autosave_response(response) -> bool:
    """An autosave of an existing page: a JSON POST to its edit URL (editing-session pings go elsewhere)."""
    request = response.request
    json = "application/json" in (request.headers.get("accept") or "")
    return request.method == "POST" and "/edit/" in request.url and json


def test_submit_while_the_first_autosave_is_in_flight_creates_one_submitted_article(
    app_server, browser, people, django_db_blocker  # noqa: F811
):
    town, county = people
    town_base, county_base = app_server(host("township")), app_server(host("county_a"))
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    clerk = _login(context, town_base, CLERK, "autosave-clerk")
    with django_db_blocker.unblock(), schema_context(town.schema_name):
        from tenants.content.models import ArticlePage, ColumnPage

        news = ColumnPage.objects.get(slug="news").pk

    create_url = f"{town_base}/admin/pages/add/content/articlepage/{news}/"
    held = []  # (is_autosave, route) of every POST to the create URL, in arrival order

    def hold(route):
        if route.request.method != "POST":
            route.continue_()
            return
        held.append(("application/json" in (route.request.headers.get("accept") or ""), route))

    clerk.route(create_url, hold)
    clerk.goto(create_url)
    clerk.fill("#id_title", TITLE)
    clerk.locator(".DraftEditor-root [contenteditable=true]").first.click()
    clerk.keyboard.type(TEXT)
    # Wagtail starts watching for edits ~2 s after the editor loads; typing on until the first
    # autosave leaves is how a clerk's text triggers it whatever the machine's speed.
    deadline = time.monotonic() + 30
    while not any(autosave for autosave, _route in held):
        assert time.monotonic() < deadline, "no autosave request within 30 s"
        clerk.keyboard.type("。")
        clerk.wait_for_timeout(700)
    _wait(clerk, lambda: TEXT in clerk.locator("input[name=body]").input_value(), 10, "Draftail to sync the body")
    clerk.screenshot(path=str(ARTIFACTS / "autosave-in-flight.png"), full_page=True)

    clerk.evaluate("document.querySelector('[name=action-submit]').click()")  # the autosave is still held
    clerk.wait_for_timeout(1500)  # time for the form submission to leave, if it is going to
    submitted_to_create_url = [route for autosave, route in held if not autosave]
    # The slow link delivers: the autosave first (it creates the page and turns the form into the
    # page's edit form), then whatever else was sent to the create URL.
    for _autosave, route in [entry for entry in held if entry[0]]:
        route.continue_()
    _wait(clerk, lambda: "/edit/" in clerk.url, 30, "the autosave to turn the form into an edit form")
    for route in submitted_to_create_url:
        route.continue_()
    _wait(clerk, lambda: clerk.url.rstrip("/").endswith(f"/admin/pages/{news}"), 60, "the explorer after submitting")
    clerk.wait_for_load_state("load")
    clerk.screenshot(path=str(ARTIFACTS / "autosave-submitted.png"), full_page=True)

    with django_db_blocker.unblock(), schema_context(town.schema_name):
        articles = list(ArticlePage.objects.filter(title=TITLE))
        assert len(articles) == 1, f"{len(articles)} articles, {len(submitted_to_create_url)} posts to create"
        assert not submitted_to_create_url  # the click waited for the autosave, then went to the edit URL
        article = articles[0]
        states = list(WorkflowState.objects.for_instance(article))
        assert [state.status for state in states] == [WorkflowState.STATUS_IN_PROGRESS]
        assert TEXT in str(article.get_latest_revision_as_object().body)

    reviewer = _login(browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN"), county_base,
                      REVIEWER, "autosave-reviewer")  # fmt: skip
    reviewer.goto(county_base + "/admin/review/")
    assert reviewer.locator("tr", has_text=TITLE).count() == 1
    reviewer.screenshot(path=str(ARTIFACTS / "autosave-queue.png"), full_page=True)
    context.close()


def test_autosave_still_saves_new_and_existing_pages(app_server, browser, people, django_db_blocker):  # noqa: F811
    """The guard holds submissions only: a new article is still autosaved (and becomes an edit form), and
    an existing article's editor still autosaves the clerk's typing without any click."""
    town, _county = people
    town_base = app_server(host("township"))
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    clerk = _login(context, town_base, CLERK, "autosave-draft-clerk")
    with django_db_blocker.unblock(), schema_context(town.schema_name):
        from tenants.content.models import ArticlePage, ColumnPage

        news = ColumnPage.objects.get(slug="news").pk
    clerk.goto(f"{town_base}/admin/pages/add/content/articlepage/{news}/")
    clerk.fill("#id_title", DRAFT_TITLE)
    clerk.locator(".DraftEditor-root [contenteditable=true]").first.click()
    deadline = time.monotonic() + 30
    while "/edit/" not in clerk.url:  # typing on until the first autosave created the page (see above)
        assert time.monotonic() < deadline, "the new article was not autosaved within 30 s"
        clerk.keyboard.type("供暖正常。")
        clerk.wait_for_timeout(700)
    edit_url = clerk.url

    clerk.goto(edit_url)  # the existing article's own editor
    clerk.locator(".DraftEditor-root [contenteditable=true]").first.click()
    clerk.keyboard.press("End")
    deadline = time.monotonic() + 30
    with clerk.expect_response(_autosave_response, timeout=45_000) as autosave:
        while time.monotonic() < deadline and not autosave.is_done():
            clerk.keyboard.type("热线已开通。")
            clerk.wait_for_timeout(700)
    assert autosave.value.ok and autosave.value.json()["success"]
    clerk.screenshot(path=str(ARTIFACTS / "autosave-existing-page.png"), full_page=True)
    context.close()

    with django_db_blocker.unblock(), schema_context(town.schema_name):
        (article,) = ArticlePage.objects.filter(title=DRAFT_TITLE)
        assert not article.live and "热线已开通" in str(article.get_latest_revision_as_object().body)
