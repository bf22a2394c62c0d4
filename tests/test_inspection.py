"""网站普查 scenarios (issue #19) with planted faults: empty columns, undated items, a message left
unanswered past 3 months, a broken internal link, closure candidates, alerts, who sees what."""

from __future__ import annotations

import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_tenants.utils import schema_context
from inspection import checks
from inspection.checks.freshness import home_is_fresh
from inspection.models import InspectionRun
from inspection.services import run_inspection
from interaction.models import Item

from audit.models import AuditEvent
from identity import services as identity_services
from jobs import scheduler
from tenants.content.models import ColumnPage, HomePage
from tests.console_helpers import PLATFORM, operator_client
from tests.helpers import client_for, publish_article
from tests.interaction_helpers import backdate, citizen, letter, query_code
from tests.people import logged_in, person

pytestmark = pytest.mark.django_db


def _add_columns(site, count: int, kind: str = "general") -> None:
    with schema_context(site.schema_name):
        home = HomePage.objects.get()
        for number in range(count):
            home.add_child(instance=ColumnPage(title=f"空栏目{number}", slug=f"empty-{number}", kind=kind))


def test_five_empty_columns_fail_the_site_and_four_do_not(cluster):
    # A county starts with 3 empty content columns (通知公告, 政策文件, 政策解读).
    four, five = cluster["county_a"], cluster["county_b"]
    _add_columns(four, 1)
    _add_columns(five, 2)
    passed, failed = run_inspection(four), run_inspection(five)
    assert "columns_empty" not in passed.failing
    assert "columns_empty" in failed.failing and failed.verdict == "fail"
    veto = next(f for f in failed.findings if f["indicator"] == "columns_empty")
    assert "5个空白栏目" in veto["message"] and "空栏目1" in veto["message"]


def test_an_item_without_a_visible_date_counts_as_not_updated():
    today = datetime.date(2026, 11, 25)
    undated_new = (
        '<ul><li><a href="/news/today/">今天的新消息</a></li>'
        '<li><a href="/news/old/">旧消息</a><time>2026-10-01</time></li></ul>'
    )
    assert home_is_fresh(undated_new, today, 14)[0] is False
    dated_new = undated_new.replace("今天的新消息</a>", "今天的新消息</a><time>2026-11-24</time>")
    assert home_is_fresh(dated_new, today, 14)[0] is True


def test_home_page_freshness_from_the_rendered_page(cluster):
    town = cluster["township"]  # only the welcome article, dated 2026-11-01
    stale = run_inspection(town, now=timezone.now() + datetime.timedelta(days=30))
    assert "home_stale" in stale.failing and stale.details["probe"]["ok"]
    publish_article(town, "news", "今日新闻", publish_date=timezone.localdate())
    assert "home_stale" not in run_inspection(town).failing


def _letter_received(site, days_ago: int) -> Item:
    response = citizen(site).post("/hudong/xinxiang/leader/", letter())
    return backdate(Item.objects.get(query_code=query_code(response)), days_ago)


def test_a_message_unanswered_3_months_and_a_day_fails_the_site(cluster):
    county = cluster["county_a"]
    today = timezone.localdate()
    three_months = (today - (today - relativedelta(months=3))).days
    _letter_received(county, three_months - 1)
    assert "interaction_unanswered" not in run_inspection(county).failing
    late = _letter_received(county, three_months + 1)
    run = run_inspection(county)
    assert "interaction_unanswered" in run.failing and run.verdict == "fail"
    veto = next(f for f in run.findings if f["indicator"] == "interaction_unanswered")
    assert late.number in veto["message"] and veto["url"] == f"/admin/hudong/{late.pk}/"


def test_a_broken_internal_link_is_reported_with_its_page(cluster):
    county = cluster["county_b"]
    body = (
        '<p><a href="/news/no-such-article/">坏链接</a> <a href="/news/welcome/">好链接</a>'
        f' <a href="http://{county.primary_domain}/gone/">绝对地址坏链接</a> <a href="https://www.gov.cn/x/">外部</a></p>'
    )
    article = publish_article(county, "news", "含链接的文章", body=body)
    broken = [f for f in run_inspection(county).findings if f["indicator"] == "broken_link"]
    messages = " ".join(f["message"] for f in broken)
    assert len(broken) == 2, messages
    assert "/news/no-such-article/" in messages and "/gone/" in messages and "/news/welcome/" not in messages
    assert "含链接的文章" in messages and broken[0]["url"] == f"/admin/pages/{article.pk}/edit/"


def test_a_newly_failing_site_alerts_its_editors_once_and_the_console(cluster):
    county = cluster["county_b"]
    account = person("insp-editor", email="insp-editor@example.com")
    identity_services.grant_role(account, county, "editor", by="test")
    _add_columns(county, 2)
    mail.outbox.clear()
    first = run_inspection(county)
    assert "columns_empty" in first.failing
    sent = [m for m in mail.outbox if "insp-editor@example.com" in m.to]
    assert len(sent) == 1 and "网站普查" in sent[0].subject and "空白栏目" in sent[0].body
    assert AuditEvent.objects.filter(action="inspection.failing", site=county).exists()
    run_inspection(county)  # still failing the same indicators: no second alert
    assert len([m for m in mail.outbox if "insp-editor@example.com" in m.to]) == 1


def test_a_closure_candidate_opens_a_closure_plan(cluster, settings):
    settings.ZQ_INSPECT_CLOSURE_FAILED_RUNS = 2
    town = cluster["township"]
    _add_columns(town, 5)
    run_inspection(town)
    run_inspection(town)
    ops = operator_client("insp-ops")
    page = ops.get(reverse("inspection_index")).content.decode()
    start = f"{reverse('closure_admin:start')}?site={town.pk}"
    assert "建议关停整合的站点" in page and "最近2次普查均不合格" in page and start in page
    form = ops.get(start)
    assert form.status_code == 200
    assert f'<option value="{town.pk}" selected>' in form.content.decode()


def test_operators_see_the_cluster_and_editors_only_their_own_site(cluster):
    county, other = cluster["county_a"], cluster["county_b"]
    _add_columns(other, 2)
    run_inspection(county)
    run_inspection(other)
    ops = operator_client("insp-ops2")
    page = ops.get(reverse("inspection_index")).content.decode()
    assert county.name in page and other.name in page and "不合格" in page
    today = timezone.localdate().isoformat()
    assert f"<td>{today}</td><td>2</td><td>" in page  # the trend: both sites inspected today
    detail = ops.get(reverse("inspection_site", args=[other.pk])).content.decode()
    assert "普查历史" in detail and "空栏目1" in detail

    account = person("insp-ed2")
    identity_services.grant_role(account, county, "editor", by="test")
    staff = logged_in(county, "insp-ed2")
    dashboard = staff.get("/admin/").content.decode()
    assert "网站普查" in dashboard and "空栏目1" not in dashboard
    assert staff.get(reverse("inspection_index")).status_code == 404
    assert client_for(PLATFORM).get(reverse("inspection_index")).status_code == 302  # not logged in


def test_command_and_schedule(cluster):
    with pytest.raises(CommandError, match="没有运行中的站点"):
        call_command("inspect_sites", site="no-such-site")
    call_command("inspect_sites", site=cluster["township"].slug)
    assert InspectionRun.objects.filter(site=cluster["township"]).count() == 1
    # The scheduler runs the job by itself: every running site gets a run.
    assert scheduler.run_due(only={"inspection"}) == ["inspection"]
    inspected = set(InspectionRun.objects.values_list("site_id", flat=True))
    assert {site.pk for site in cluster.values()} <= inspected
    assert InspectionRun.objects.filter(site=cluster["township"]).count() == 2


def _past_probes(site, ok: int, failed: int = 0) -> None:
    """Earlier runs in the probe window, ``ok`` succeeded and ``failed`` failed."""
    started = timezone.now() - datetime.timedelta(hours=2)
    for index in range(ok + failed):
        InspectionRun.objects.create(
            site=site,
            started=started,
            finished=started,
            verdict="pass",
            score=100,
            details={"probe": {"ok": index < ok, "status": 200, "seconds": 0.1}},
        )


def test_availability_fails_at_five_percent_of_probes(cluster, settings):
    town, county = cluster["township"], cluster["county_a"]
    settings.ZQ_INSPECT_PROBE_TIMEOUT = 0  # this run's probe is too slow: one failure
    _past_probes(town, ok=19)  # 1 of 20 = 5 %
    _past_probes(county, ok=20)  # 1 of 21 < 5 %
    failed = run_inspection(town)
    assert "availability" in failed.failing and failed.details["probe"]["ok"] is False
    assert "失败1次" in next(f for f in failed.findings if f["indicator"] == "availability")["message"]
    assert "availability" not in run_inspection(county).failing


def test_the_probe_goes_over_http_to_the_app_servers(cluster, settings, app_server):
    town = cluster["township"]
    settings.ZQ_INSPECT_BASE_URL = app_server("127.0.0.1")
    run = run_inspection(town)
    probe = run.details["probe"]
    assert probe["ok"] and probe["status"] == 200 and probe["seconds"] > 0
    assert "availability" not in run.failing
    settings.ZQ_INSPECT_BASE_URL = app_server("127.0.0.1").rsplit(":", 1)[0] + ":1"  # nothing listens
    down = run_inspection(town)
    assert down.details["probe"]["ok"] is False and down.details["probe"]["error"]
    assert "availability" in down.failing


def _notice_columns(site, dates: list[datetime.date]) -> None:
    """One 通知公告-kind column per date, holding one article of that date."""
    with schema_context(site.schema_name):
        home = HomePage.objects.get()
        for index in range(len(dates)):
            home.add_child(instance=ColumnPage(title=f"公告栏{index}", slug=f"gonggao-{index}", kind="notices"))
    for index, day in enumerate(dates):
        publish_article(site, f"gonggao-{index}", f"公告{index}", publish_date=day)


def test_five_stale_notice_columns_fail_and_six_months_is_the_limit(cluster):
    today = timezone.localdate()
    seven_months, five_months = today - relativedelta(months=7), today - relativedelta(months=5)
    five, four = cluster["county_a"], cluster["county_b"]
    _notice_columns(five, [seven_months] * 5)
    _notice_columns(four, [seven_months] * 4 + [five_months] * 3)
    publish_article(four, "news", "今日动态", publish_date=today)  # the welcome news is > 2 weeks old
    failed = run_inspection(five)
    assert "columns_stale" in failed.failing
    assert "公告栏4" in next(f for f in failed.findings if f["indicator"] == "columns_stale")["message"]
    assert "columns_stale" not in run_inspection(four).failing


def test_a_broken_check_is_recorded_and_the_others_still_run(cluster, monkeypatch):
    def broken(_ctx):
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM no_such_table")  # a database error inside the run

    monkeypatch.setitem(checks._checks, "broken", broken)
    county = cluster["county_b"]
    _add_columns(county, 2)
    run = run_inspection(county)
    assert run.details["broken_checks"] == ["broken"] and "columns_empty" in run.failing
    assert InspectionRun.objects.filter(pk=run.pk).exists()
