"""The operators' closure wizard in the platform console (issue 13): an operator closes a township
into its county from the browser's forms — plan, column mapping, notice, execute, verify — watches
progress, downloads the URL map and the offline report, and can roll back. Nobody else gets in."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.urls import reverse
from django_tenants.utils import schema_context

from audit.models import AuditEvent
from tenants.closure import jobs, plan
from tenants.closure.models import Closure, ClosureStatus, VerifyState
from tenants.content.models import ArticlePage, ColumnPage, HomePage
from tenants.models import SiteStatus
from tests.helpers import client_for, publish_article
from tests.people import editor, logged_in, person

PLATFORM = "platform.localhost"


@pytest.fixture
def operator(db, settings, tmp_path):
    settings.ZQ_BACKGROUND_RUNNER = "inline"  # the thread runner cannot see the test's transaction
    settings.MEDIA_ROOT = str(tmp_path)
    person("ops-closure", operator=True)
    return logged_in(PLATFORM, "ops-closure")


def _post(client, closure, action: str, **data):
    response = client.post(reverse("closure_admin:detail", args=[closure.pk]), {"action": action, **data})
    connection.set_schema_to_public()
    return response


def test_an_operator_closes_a_township_from_the_console_wizard(cluster, operator):
    town, county = cluster["township"], cluster["county_a"]
    publish_article(town, "news", "城关镇召开春耕动员会", slug="chungeng")
    connection.set_schema_to_public()

    start = operator.get(reverse("closure_admin:start"), {"site": town.pk})
    assert start.status_code == 200 and "生成迁移计划" in start.content.decode()
    response = operator.post(reverse("closure_admin:start"), {"site": town.pk, "target": "", "section_title": ""})
    connection.set_schema_to_public()
    closure = Closure.objects.get(site=town)
    assert response.status_code == 302 and response["Location"].endswith(f"/{closure.pk}/")
    assert closure.target == county and closure.status == ClosureStatus.PLANNED

    detail = operator.get(reverse("closure_admin:detail", args=[closure.pk])).content.decode()
    assert "栏目映射" in detail and "/news/chungeng/" in detail
    # The column map offers the township's columns; send news into the county's own news column.
    _post(operator, closure, "replan", col__news="column:news", col__notices="section", col__service="section")
    closure.refresh_from_db()
    assert closure.column_map["news"] == {"mode": "column", "target": "news"}

    plan_csv = operator.get(reverse("closure_admin:plan_csv", args=[closure.pk]))
    rows = list(csv.reader(io.StringIO(plan_csv.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["原地址", "新地址", "响应码"]
    assert ["http://t-town.localhost/news/chungeng/", "http://t-county-a.localhost/news/chungeng/"] in [
        r[:2] for r in rows
    ]

    # A notice shorter than the national 30 days needs a reason: the form says so and nothing changes.
    refused = _post(operator, closure, "notice", notice_days=0, reason="")
    assert refused.status_code == 200 and "请填写原因" in refused.content.decode()
    closure.refresh_from_db()
    assert closure.status == ClosureStatus.PLANNED
    noticed = _post(operator, closure, "notice", notice_days=0, reason="乡镇网站集约化，县政府批准提前迁移")
    assert noticed.status_code == 302, noticed.content.decode()[-3000:]
    closure.refresh_from_db()
    assert closure.status == ClosureStatus.NOTICE and closure.shortened_reason

    _post(operator, closure, "execute")
    closure.refresh_from_db()
    assert closure.status == ClosureStatus.REDIRECTING, closure.last_error
    progress = operator.get(reverse("closure_admin:progress", args=[closure.pk])).json()
    assert progress["status"] == "redirecting" and progress["done"] == progress["total"] > 0

    _post(operator, closure, "verify")
    closure.refresh_from_db()
    failed = list(closure.urls.filter(verify_state=VerifyState.FAILED).values_list("path", "verify_detail"))
    assert closure.status == ClosureStatus.COMPLETED, failed
    assert not closure.urls.filter(verify_state=VerifyState.FAILED).exists()
    town.refresh_from_db()
    assert town.status == SiteStatus.CLOSED

    old = client_for(town).get("/news/chungeng/")
    assert old.status_code == 301 and old["Location"] == "http://t-county-a.localhost/news/chungeng/"
    connection.set_schema_to_public()

    report = operator.get(reverse("closure_admin:report", args=["csv"])).content.decode("utf-8-sig")
    assert "青山县城关镇人民政府" in report and "t-town.localhost" in report
    xlsx = operator.get(reverse("closure_admin:report", args=["xlsx"]))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"

    steps = set(AuditEvent.objects.filter(object_id=str(closure.pk)).values_list("action", flat=True))
    assert {"closure_plan", "closure_notice", "closure_execute", "closure_complete"} <= steps

    listing = operator.get(reverse("closure_admin:index")).content.decode()
    assert "青山县城关镇人民政府" in listing and "已完成" in listing


def test_the_wizard_refuses_bad_input_clearly_and_rolls_back(cluster, operator):
    town = cluster["township"]
    city = cluster["city"]
    # A site with no parent and no target chosen: a field error, no closure.
    response = operator.post(reverse("closure_admin:start"), {"site": city.pk, "target": ""})
    assert response.status_code == 200 and "请选择迁入站点" in response.content.decode()
    # Closing a county into its own township is refused by the plan step, shown on the form.
    response = operator.post(
        reverse("closure_admin:start"), {"site": cluster["county_a"].pk, "target": town.pk}
    )
    connection.set_schema_to_public()
    assert response.status_code == 200 and not Closure.objects.exists()

    operator.post(reverse("closure_admin:start"), {"site": town.pk})
    connection.set_schema_to_public()
    closure = Closure.objects.get(site=town)
    assert _post(operator, closure, "no-such-step").status_code == 302
    refused = _post(operator, closure, "rollback", reason="")
    assert refused.status_code == 200 and "请修正下面的错误" in refused.content.decode()
    _post(operator, closure, "rollback", reason="县里决定保留该网站")
    closure.refresh_from_db()
    assert closure.status == ClosureStatus.ROLLED_BACK
    town.refresh_from_db()
    assert town.status == SiteStatus.ACTIVE


def test_nobody_but_an_operator_on_the_platform_reaches_the_wizard(cluster, db):
    editor("closure-editor", cluster["county_a"])
    on_site = logged_in(cluster["county_a"], "closure-editor")
    assert on_site.get(reverse("closure_admin:index")).status_code == 404
    connection.set_schema_to_public()
    person("not-operator")
    anonymous = client_for(PLATFORM)
    assert anonymous.get(reverse("closure_admin:index")).status_code in (302, 403)
    connection.set_schema_to_public()


def test_a_migrated_townships_pages_show_where_they_live_on_the_county(cluster, db):
    """Breadcrumbs name every column above a page, so a reader landing from an old township URL sees
    the township's section on the county site (首页 › 城关镇 › 工作动态)."""
    county = cluster["county_a"]
    with schema_context(county.schema_name):
        home = HomePage.objects.get()
        section = home.add_child(instance=ColumnPage(title="城关镇", slug="t-town"))
        news = section.add_child(instance=ColumnPage(title="工作动态", slug="t-town-news"))
        for page in (section, news):
            page.save_revision().publish()
        article = news.add_child(instance=ArticlePage(title="城关镇召开春耕动员会", body="<p>正文</p>"))
        article.save_revision().publish()
    connection.set_schema_to_public()
    column_html = client_for(county).get("/t-town/t-town-news/").content.decode()
    assert '<a href="/">首页</a> &gt; <a href="/t-town/">城关镇</a> &gt; 工作动态</nav>' in column_html
    article_html = client_for(county).get(f"/t-town/t-town-news/{article.slug}/").content.decode()
    assert '&gt; <a href="/t-town/">城关镇</a> &gt; <a href="/t-town/t-town-news/">工作动态</a></nav>' in article_html
    connection.set_schema_to_public()


def test_a_background_step_that_is_refused_shows_the_steps_own_message(cluster, db, settings):
    """A step started from the console that the step refuses (verify before execute) leaves its
    plain Chinese reason on the closure for the progress view, not an exception's repr."""
    settings.ZQ_BACKGROUND_RUNNER = "thread"  # run_step is called here directly, as the thread would
    closure = plan.plan_closure(cluster["township"], by="ops")
    jobs.run_step(closure.pk, "verify", "ops")
    closure.refresh_from_db()
    assert closure.last_error and "ValidationError" not in closure.last_error
    assert closure.status == ClosureStatus.PLANNED
