"""网站普查 in a real browser (Chromium) against the production app server and its task worker:
the console screen draws its three charts (Chart.js instances exist), passes axe-core (WCAG 2.1 AA,
the screen's own content) with no CSP violation, and "立即普查" queues a run that the worker does while
the screen shows progress; an editor reads their own site's 网站普查 screen and cannot open another
site's run. Screenshots in ``test-artifacts/inspection-*.png``.

The app server commits what the browser does, so everything made here is removed at the end.
"""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.test import override_settings
from django_tenants.utils import get_public_schema_name, schema_context
from inspection.models import InspectionRun
from inspection.services import run_inspection

from audit.models import AuditEvent
from identity import services
from identity.models import Account
from siteusers.models import User
from tenants.models import Site
from tests.cluster import host
from tests.people import PASSWORD
from tests.test_admin_csp_browser import watch_csp
from tests.test_portal_browser import AXE, WCAG_TAGS
from tests.test_public_site_browser import ARTIFACTS, browser  # noqa: F401 - browser is a fixture

PLATFORM = "platform.localhost"
OPERATOR, EDITOR = "ops-inspection", "editor-inspection"


@pytest.fixture(scope="module")
def committed(django_db_setup, django_db_blocker):
    """An operator, an editor of county A, and one committed run per cluster site (county B's a
    failing one); afterwards every run, account and audit event made here is removed."""
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        last_event = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        last_run = InspectionRun.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        services.create_account(OPERATOR, PASSWORD, is_operator=True, display_name="普查运维")
        editor = services.create_account(EDITOR, PASSWORD, display_name="普查编辑")
        county_a, county_b = Site.objects.get(slug="t-county-a"), Site.objects.get(slug="t-county-b")
        services.grant_role(editor, county_a, "editor", by="test")
        hasher = PBKDF2PasswordHasher()  # the production app server does not accept the tests' MD5
        Account.objects.filter(username__in=[OPERATOR, EDITOR]).update(password=hasher.encode(PASSWORD, hasher.salt()))
        with override_settings(ZQ_INSPECT_EMPTY_COLUMNS=3):  # county B's 3 empty columns: a veto
            runs = {site.slug: run_inspection(site) for site in Site.objects.exclude(schema_name="public")}
        connection.set_schema_to_public()
    yield {"county_a": county_a, "county_b": county_b, "runs": runs, "sites": len(runs)}
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        InspectionRun.objects.filter(pk__gt=last_run).delete()
        for account in Account.objects.filter(username__in=[OPERATOR, EDITOR]):
            for role in account.roles.select_related("site"):
                services.revoke_role(account, role.site)
            account.delete()
        with schema_context(get_public_schema_name()):
            User.objects.filter(username__in=[OPERATOR, EDITOR]).delete()
        with schema_context(county_a.schema_name):
            User.objects.filter(username=EDITOR).delete()
        AuditEvent.objects.filter(pk__gt=last_event).delete()
        connection.close()  # opened inside Playwright's greenlet: leave no session behind


def _login(browser, base: str, username: str):  # noqa: F811
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    page = context.new_page()
    violations = watch_csp(page)
    page.goto(base + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/admin/")
    return context, page, violations


def axe_violations(page) -> list[str]:
    """axe-core on the screen's own content (``main``: what this screen adds to Wagtail's admin)."""
    results = AXE.run(page, context="main", options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    return [f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}" for v in results.response["violations"]]


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"inspection-{name}.png"), full_page=True)


def test_the_console_draws_the_charts_accessibly_and_inspects_a_site_now(app_server, browser, committed, django_db_blocker):  # noqa: F811, E501
    base = app_server(PLATFORM)
    context, page, csp = _login(browser, base, OPERATOR)
    page.goto(base + "/admin/console/inspection/")
    canvases = ["chart-inspection-trend", "chart-inspection-scores", "chart-inspection-indicators"]
    page.wait_for_function(
        "ids => window.Chart && ids.every(id => Chart.getChart(document.getElementById(id)))", arg=canvases
    )
    scores = page.evaluate("Chart.getChart(document.getElementById('chart-inspection-scores')).data.datasets[0].data")
    assert sum(scores) == committed["sites"]
    indicators = page.evaluate("Chart.getChart(document.getElementById('chart-inspection-indicators')).data")
    vetoes = dict(zip(indicators["labels"], indicators["datasets"][0]["data"], strict=True))
    empty = next(f["title"] for f in committed["runs"]["t-county-b"].findings if f["indicator"] == "columns_empty")
    assert vetoes[empty] >= 1
    drawn = page.evaluate(  # the canvases hold pixels, not just the Chart objects
        "id => { const c = document.getElementById(id); return c.width > 0 && c.toDataURL().length > 2000; }",
        canvases[2],
    )
    assert drawn
    shot(page, "console")
    problems = axe_violations(page)

    page.select_option("#f-verdict", "fail")
    page.click("form.inspection-filters button[type=submit]")
    page.wait_for_url("**verdict=fail**")
    assert page.locator("table.listing tbody a", has_text=committed["county_b"].name).count() == 1
    shot(page, "console-failing")

    # 立即普查: queued for the worker; the screen says so and reloads itself until the run is there.
    county_a = committed["county_a"]
    with django_db_blocker.unblock():
        before = InspectionRun.objects.filter(site=county_a).count()
    page.goto(base + f"/admin/console/inspection/{county_a.pk}/")
    page.get_by_role("button", name="立即普查").click()
    page.locator(".messages", has_text="已开始普查").wait_for()
    shot(page, "inspect-now-queued")
    page.get_by_role("button", name="立即普查").wait_for(timeout=240_000)  # back once the worker has done it
    with django_db_blocker.unblock():
        assert InspectionRun.objects.filter(site=county_a).count() == before + 1
        assert AuditEvent.objects.filter(action="inspection.requested", site=county_a, actor_username=OPERATOR).exists()
        connection.close()  # opened inside Playwright's greenlet
    shot(page, "inspect-now-done")
    problems += axe_violations(page)
    context.close()
    assert problems == [], json.dumps(problems, ensure_ascii=False)
    assert csp == []


def test_an_editor_reads_their_own_results_and_not_another_sites(app_server, browser, committed, django_db_blocker):  # noqa: F811, E501
    base = app_server(host("county_a"))
    context, page, csp = _login(browser, base, EDITOR)
    page.get_by_role("link", name="网站普查").first.click()
    page.wait_for_url(base + "/admin/inspection/")
    with django_db_blocker.unblock():  # the latest run (the console's test may have added one)
        run = InspectionRun.objects.filter(site=committed["county_a"]).order_by("-started").first()
        connection.close()  # opened inside Playwright's greenlet
    assert page.locator("h2", has_text=committed["county_a"].name).count() == 1
    assert page.locator(".inspection-verdict", has_text=f"{run.score} 分").count() == 1
    assert page.locator("table.listing tbody tr").count() >= 1
    shot(page, "editor")
    problems = axe_violations(page)
    other = committed["runs"]["t-county-b"]
    response = page.goto(base + f"/admin/inspection/{other.pk}/")
    assert response.status == 404
    context.close()
    assert problems == [], json.dumps(problems, ensure_ascii=False)
    assert csp == []
