"""网站普查 screens (issue #19): the console's charts, their tables and filters; "立即普查" queued as a
job and audited; each site's own 网站普查 screen (what to fix and where, history) that never shows
another site's runs."""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, schema_context
from inspection.models import InspectionRun
from inspection.services import run_inspection

from audit.models import AuditEvent
from identity import services as identity_services
from siteusers.models import User
from tenants.content.models import ColumnPage, HomePage
from tests.console_helpers import PLATFORM, operator_client
from tests.helpers import client_for, publish_article
from tests.people import logged_in, person

pytestmark = pytest.mark.django_db


def _add_columns(site, count: int) -> None:
    with schema_context(site.schema_name):
        home = HomePage.objects.get()
        for number in range(count):
            home.add_child(instance=ColumnPage(title=f"空栏目{number}", slug=f"empty-{number}", kind="general"))


def _charts(page: str) -> dict:
    found = re.search(r'<script id="inspection-charts" type="application/json">(.*?)</script>', page, re.S)
    assert found, "the charts' data is embedded with json_script"
    return json.loads(found.group(1))


def test_console_charts_and_their_tables_show_the_worst_indicators_scores_and_trend(cluster):
    county_a, county_b, town = cluster["county_a"], cluster["county_b"], cluster["township"]
    _add_columns(county_a, 2)
    _add_columns(county_b, 2)
    for site in (county_a, county_b, town):
        run_inspection(site)
    ops = operator_client("insp-charts")
    page = ops.get(reverse("inspection_index")).content.decode()
    data = _charts(page)
    # The worst indicators: sites vetoed per indicator, most first; 空白栏目 vetoes both counties only.
    runs = list(InspectionRun.objects.all())
    vetoes = dict(zip(data["indicators"]["labels"], data["indicators"]["vetoes"], strict=True))
    assert data["indicators"]["vetoes"] == sorted(data["indicators"]["vetoes"], reverse=True)
    labels = data["indicators"]["labels"]
    assert any(label.startswith("基本信息") for label in labels)  # the test sites' footers lack identity fields
    assert len(set(labels)) == len(labels), labels  # each indicator is told apart (not four bars named 基本信息)
    empty_title = next(f["title"] for r in runs for f in r.findings if f["indicator"] == "columns_empty")
    assert vetoes[empty_title] == 2
    table = page.split("问题最多的指标")[2]
    assert f"<td>{empty_title}</td><td>2</td>" in table
    # Score distribution: every inspected site is in exactly one band.
    inspected = InspectionRun.objects.values("site").distinct().count()
    assert sum(data["scores"]["data"]) == inspected
    # The trend: today's point counts the sites inspected and the failing ones.
    assert data["trend"]["inspected"][-1] == inspected and data["trend"]["failed"][-1] >= 2
    # CSP-safe: no inline script besides the JSON, the drawing script is a file.
    assert "inspection/charts.js" in page and "chart.umd.min.js" in page
    inline = [s for s in re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", page) if "application/json" not in s]
    assert inline == []


def test_console_filters_by_verdict_parent_and_kind_and_ignores_bad_input(cluster, settings):
    settings.ZQ_INSPECT_REQUIRE_SERVICES = False  # the test cluster offers no services: not this test's subject
    county_a, county_b, town = cluster["county_a"], cluster["county_b"], cluster["township"]
    publish_article(county_a, "news", "今日动态", publish_date=timezone.localdate())  # its home page is fresh
    _add_columns(county_b, 2)
    for site in (county_a, county_b, town):
        run_inspection(site)
    ops = operator_client("insp-filter")
    url = reverse("inspection_index")

    def listed(query: str) -> str:
        response = ops.get(url + query)
        assert response.status_code == 200
        return response.content.decode().split("各站点最近一次普查结果")[1]

    def name(site) -> str:
        return f">{site.name}</a>"

    assert run_inspection(county_a).verdict == "pass"
    failing = listed("?verdict=fail")
    assert name(county_b) in failing and name(county_a) not in failing
    assert name(county_a) in listed("?verdict=pass") and name(county_b) not in listed("?verdict=pass")
    children = listed(f"?parent={county_a.pk}")
    assert name(town) in children and name(county_a) in children and name(county_b) not in children
    # The charts follow the filters too: today's trend point counts the filtered sites only.
    assert _charts(ops.get(url + f"?parent={county_a.pk}").content.decode())["trend"]["inspected"][-1] == 2
    townships = listed("?kind=township")
    assert name(town) in townships and name(county_b) not in townships
    never = listed("?verdict=none")
    assert name(county_b) not in never and name(cluster["department"]) in never
    everything = listed("?verdict=<script>&parent=abc&kind=nope")  # bad input: no filter, no error
    assert name(county_a) in everything and name(county_b) in everything


def test_inspect_now_queues_one_run_audited_and_only_for_operators(cluster, settings):
    settings.ZQ_BACKGROUND_RUNNER = "inline"  # a worker could not see the test's transaction
    town = cluster["township"]
    ops = operator_client("insp-now")
    url = reverse("inspection_inspect", args=[town.pk])
    screen = ops.get(reverse("inspection_site", args=[town.pk])).content.decode()
    assert "立即普查" in screen and f'action="{url}"' in screen
    response = ops.post(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("inspection_site", args=[town.pk])
    assert InspectionRun.objects.filter(site=town).count() == 1
    page = response.content.decode()
    assert "已开始普查" in page and "最近一次" in page
    event = AuditEvent.objects.get(action="inspection.requested", site=town)
    assert event.actor_username == "insp-now"

    with schema_context(get_public_schema_name()):  # an admin user on the platform, not an operator
        user = User.objects.create_user("insp-not-ops", password="x-Unused-pass-1")
        user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    viewer = client_for(PLATFORM)
    viewer.force_login(user)
    refused = viewer.post(url)  # Wagtail's admin answers PermissionDenied with a redirect to the dashboard
    assert refused.status_code == 302 and refused["Location"] == reverse("wagtailadmin_home")
    account = person("insp-town-ed")
    identity_services.grant_role(account, town, "editor", by="test")
    assert logged_in(town.primary_domain, "insp-town-ed").post(url).status_code == 404
    assert InspectionRun.objects.filter(site=town).count() == 1


def test_inspect_now_shows_progress_while_the_job_is_queued(cluster, settings):
    settings.ZQ_BACKGROUND_RUNNER = "queue"
    settings.TASKS = {"default": {"BACKEND": "jobs.backend.SchemaDatabaseBackend"}}
    town = cluster["township"]
    ops = operator_client("insp-queue")
    ops.post(reverse("inspection_inspect", args=[town.pk]))
    assert not InspectionRun.objects.filter(site=town).exists()  # queued for the worker
    screen = ops.get(reverse("inspection_site", args=[town.pk])).content.decode()
    assert 'id="inspection-progress"' in screen and "inspection/progress.js" in screen and "立即普查" not in screen
    again = ops.post(reverse("inspection_inspect", args=[town.pk]), follow=True).content.decode()
    assert "已在进行中" in again
    assert AuditEvent.objects.filter(action="inspection.requested", site=town).count() == 1


def test_editors_see_their_own_results_with_where_to_fix_and_never_another_site(cluster):
    county_a, county_b = cluster["county_a"], cluster["county_b"]
    body = '<p><a href="/news/no-such-article/">坏链接</a></p>'
    article = publish_article(county_a, "news", "含坏链接的文章", body=body)
    _add_columns(county_a, 2)
    first = run_inspection(county_a)
    latest = run_inspection(county_a)
    other = run_inspection(county_b)

    account = person("insp-own-ed")
    identity_services.grant_role(account, county_a, "editor", by="test")
    staff = logged_in(county_a.primary_domain, "insp-own-ed")
    menu = staff.get("/admin/").content.decode()
    assert reverse("inspection_own") in menu
    page = staff.get(reverse("inspection_own")).content.decode()
    assert county_a.name in page and latest.get_verdict_display() in page and f"{latest.score} 分" in page
    assert "空白栏目" in page and "含坏链接的文章" in page
    assert f'href="/admin/pages/{article.pk}/edit/"' in page  # the broken link: the article's edit screen
    empty = next(f for f in latest.findings if f["indicator"] == "columns_empty")
    assert f'href="{empty["url"]}"' in page  # the empty columns: where to fix them in the admin
    with schema_context(county_a.schema_name):
        home = HomePage.objects.get()
    assert f'href="/admin/pages/{home.pk}/edit/">修改页面' in page  # 首页不更新: edit the home page
    assert reverse("inspection_own_run", args=[first.pk]) in page  # history
    assert staff.get(reverse("inspection_own_run", args=[first.pk])).status_code == 200
    assert staff.get(reverse("inspection_own_run", args=[other.pk])).status_code == 404  # B's run
    assert staff.get(reverse("inspection_own_run", args=[10**9])).status_code == 404

    # The platform's own admin has no such screen (operators use the console's).
    ops = operator_client("insp-own-ops")
    assert ops.get(reverse("inspection_own")).status_code == 404


def test_a_township_clerk_reads_the_townships_results(cluster):
    town = cluster["township"]
    run = run_inspection(town)
    account = person("insp-clerk")
    identity_services.grant_role(account, town, "submitter", columns=["news"], by="test")
    clerk = logged_in(town.primary_domain, "insp-clerk")
    page = clerk.get(reverse("inspection_own")).content.decode()
    assert run.get_verdict_display() in page and "普查历史" in page
    assert "立即普查" not in page
