"""The inspection's further checks (issue #19) as scenarios with planted faults: broken external
links (a real HTTP server on loopback), incomplete service guides and 服务不实用, undated items on the
home page, slow answers to messages, page views and few visitors as closure evidence, the operators'
alert mail (a real SMTP server), and closed sites kept out of the cluster table."""

from __future__ import annotations

import datetime
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone
from django_tenants.utils import schema_context
from inspection import external, visits
from inspection.models import ExternalLink, InspectionRun, SiteVisits
from inspection.results import closure_candidates, latest_runs
from inspection.services import inspect_sites, run_inspection
from interaction.models import Item, ItemStatus

from identity import services as identity_services
from identity.models import Account
from jobs import scheduler
from review.workdays import add_working_days
from tenants import visits as tenant_visits
from tenants.content.models import ColumnPage, HomePage
from tenants.models import Site, SiteStatus
from tenants.services.models import ServiceGuidePage
from tenants.visits import INSPECTION_AGENT
from tests.helpers import client_for, publish_article
from tests.interaction_helpers import backdate, citizen, letter, query_code
from tests.people import logged_in, person
from tests.servers import free_port
from tests.test_interaction_email import smtp  # noqa: F401 - the real SMTP server fixture

pytestmark = pytest.mark.django_db


# --- A real HTTP server for the external links -------------------------------------------------


class LinkServer:
    """Answers 200 on /ok, 404 on /gone, and 405 to HEAD but 200 to GET on /get-only; counts requests."""

    def __init__(self) -> None:
        self.requests: Counter[tuple[str, str]] = Counter()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                owner.requests[(self.command, self.path)] += 1
                if self.path == "/ok" or (self.path == "/get-only" and self.command == "GET"):
                    status = 200
                elif self.path == "/get-only":
                    status = 405
                else:
                    status = 404
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_GET = do_HEAD = _answer  # noqa: N815 - http.server's hook names

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def link_server():
    server = LinkServer()
    yield server
    server.close()


def _broken_links(run: InspectionRun) -> list[dict]:
    return [f for f in run.findings if f["indicator"] == "broken_external_link"]


def test_external_links_404_is_reported_with_its_page_200_is_not_and_refused_is_not_fatal(
    cluster, settings, link_server
):
    settings.ZQ_INSPECT_EXTERNAL_ALLOW_PRIVATE = True  # the test server is on loopback
    county, other = cluster["county_b"], cluster["county_a"]
    refused = f"http://127.0.0.1:{free_port()}/nothing-listens"
    ok, gone, get_only = f"{link_server.base}/ok", f"{link_server.base}/gone", f"{link_server.base}/get-only"
    body = (
        f'<p><a href="{ok}">能打开</a> <a href="{gone}">已删除</a> <a href="{get_only}">只认GET</a>'
        f' <a href="{refused}">连不上</a> <a href="http://{other.primary_domain}/news/">站群内的站点</a></p>'
    )
    article = publish_article(county, "news", "含外部链接的文章", body=body)
    publish_article(other, "news", "也链接到同一网址", body=f'<p><a href="{gone}">同一个坏链接</a></p>')

    summary = external.refresh([county, other])
    assert (summary.urls, summary.checked, summary.broken) == (4, 4, 2)
    # One request per URL for the whole cluster (HEAD, then GET where HEAD was refused or failed).
    assert link_server.requests == Counter(
        {
            ("HEAD", "/ok"): 1,
            ("HEAD", "/gone"): 1,
            ("GET", "/gone"): 1,
            ("HEAD", "/get-only"): 1,
            ("GET", "/get-only"): 1,
        }
    )
    assert not ExternalLink.objects.filter(url__contains=other.primary_domain).exists()  # internal to the cluster

    run = run_inspection(county)
    broken = _broken_links(run)
    messages = " ".join(f["message"] for f in broken)
    assert len(broken) == 2, messages
    assert gone in messages and "状态码404" in messages and refused in messages and "无法连接" in messages
    assert ok not in messages and get_only not in messages
    assert "含外部链接的文章" in messages and {f["url"] for f in broken} == {f"/admin/pages/{article.pk}/edit/"}
    assert "external_links" not in run.details["broken_checks"]

    # Within the TTL the next pass asks nothing again; after it, the URLs are asked again.
    assert external.refresh([county, other]).checked == 0
    later = timezone.now() + datetime.timedelta(hours=settings.ZQ_INSPECT_EXTERNAL_TTL_HOURS + 1)
    assert external.refresh([county], now=later).checked == 4


def test_private_addresses_are_never_requested_unless_allowed(cluster, link_server):
    county = cluster["county_b"]
    publish_article(county, "news", "链接到内网", body=f'<p><a href="{link_server.base}/gone">内网地址</a></p>')
    # The pass runs on its own schedule, for every running site.
    assert scheduler.run_due(only={"inspection_external_links"}) == ["inspection_external_links"]
    assert not link_server.requests
    assert ExternalLink.objects.get(url=f"{link_server.base}/gone").skipped
    assert not _broken_links(run_inspection(county))


# --- 办事指南 and 服务不实用 ----------------------------------------------------------------------

ELEMENTS = {
    "item_name": "城乡居民基本养老保险参保登记",
    "legal_basis": "<p>《国务院关于建立统一的城乡居民基本养老保险制度的意见》</p>",
    "conditions": "<p>年满16周岁的城乡居民</p>",
    "materials": "<p>居民身份证、户口簿</p>",
    "process": "<p>申请—受理—审核—办结</p>",
    "time_limit": "即办",
    "fees": "不收费",
    "location": "政务服务中心一楼社保窗口",
    "phone": "0123-4567890",
}


def _publish_guide(site, slug: str, **fields) -> ServiceGuidePage:
    with schema_context(site.schema_name):
        guide = ServiceGuidePage(title=f"{slug}办事指南", slug=slug, live=False, **{**ELEMENTS, **fields})
        ColumnPage.objects.get(slug="service").add_child(instance=guide)
        guide.save_revision().publish()
        return guide


def _finding(run: InspectionRun, indicator: str) -> dict | None:
    return next((f for f in run.findings if f["indicator"] == indicator), None)


def test_an_incomplete_guide_is_reported_with_its_edit_url_and_fails_the_services(cluster):
    complete, incomplete, none = cluster["county_a"], cluster["county_b"], cluster["township"]
    _publish_guide(complete, "yanglao")
    _publish_guide(incomplete, "yanglao")
    broken = _publish_guide(incomplete, "hunyin")
    with schema_context(incomplete.schema_name):  # changed around the admin (an import, a script)
        ServiceGuidePage.objects.filter(pk=broken.pk).update(fees="", materials="<p></p>")

    run = run_inspection(incomplete)
    finding = _finding(run, "service_guide_incomplete")
    assert finding["url"] == f"/admin/pages/{broken.pk}/edit/"
    assert "hunyin办事指南" in finding["message"] and "申请材料、收费标准" in finding["message"]
    assert len([f for f in run.findings if f["indicator"] == "service_guide_incomplete"]) == 1
    assert "services_unusable" in run.failing
    assert "1个办事指南缺少必备要素" in _finding(run, "services_unusable")["message"]

    passed = run_inspection(complete)
    assert "services_unusable" not in passed.failing and _finding(passed, "service_guide_incomplete") is None
    empty = run_inspection(none)  # a township whose 便民服务 column is empty and has no guide
    assert "services_unusable" in empty.failing
    assert "未提供任何办事服务" in _finding(empty, "services_unusable")["message"]


def test_a_guide_whose_online_address_does_not_open_makes_the_services_unusable(cluster, settings, link_server):
    settings.ZQ_INSPECT_EXTERNAL_ALLOW_PRIVATE = True
    county = cluster["county_a"]
    _publish_guide(county, "shebao", online_url=f"{link_server.base}/gone")
    external.refresh([county])
    unusable = _finding(run_inspection(county), "services_unusable")
    assert unusable and f"{link_server.base}/gone" in unusable["message"] and "网上办理地址" in unusable["message"]
    settings.ZQ_INSPECT_DEAD_SERVICE_ENTRIES = 2  # the threshold is a setting
    assert "services_unusable" not in run_inspection(county).failing


# --- Undated items -----------------------------------------------------------------------------


def test_an_undated_item_on_the_home_page_is_listed_with_its_address(cluster):
    county = cluster["county_a"]
    with schema_context(county.schema_name):  # an editor lists an article in the intro, without its date
        home = HomePage.objects.get()
        home.intro = (
            '<ul><li><a href="/news/welcome/">欢迎访问本站</a></li>'
            '<li><a href="/hudong/">领导信箱</a></li><li><a href="/news/welcome/">欢迎访问本站</a></li></ul>'
        )
        home.save_revision().publish()
    run = run_inspection(county)
    finding = _finding(run, "items_undated")
    assert finding and finding["url"] == "/"
    assert "1条信息未显示发布日期" in finding["message"] and "欢迎访问本站（/news/welcome/）" in finding["message"]
    assert "领导信箱" not in finding["message"]  # an entrance, not an item
    assert _finding(run_inspection(cluster["county_b"]), "items_undated") is None  # the themes show dates


# --- Interaction answer times ------------------------------------------------------------------


def _answered_letter(site, received_days_ago: int, working_days: int) -> Item:
    code = query_code(citizen(site).post("/hudong/xinxiang/leader/", letter()))
    item = backdate(Item.objects.get(query_code=code), received_days_ago)
    received = timezone.localtime(item.received_at)
    answered = add_working_days(received.date(), working_days)
    item.status = ItemStatus.ANSWERED
    item.answered_at = received.replace(year=answered.year, month=answered.month, day=answered.day)
    item.save()
    return item


def test_slow_answers_are_deducted_with_average_and_longest_times(cluster, settings):
    slow_site, quick_site = cluster["county_a"], cluster["county_b"]
    slow = _answered_letter(slow_site, 60, 20)
    _answered_letter(slow_site, 40, 4)
    _answered_letter(quick_site, 40, 3)
    run = run_inspection(slow_site)
    finding = _finding(run, "interaction_slow")
    assert finding and finding["severity"] == "deduction" and finding["points"] == 1
    assert finding["url"] == f"/admin/hudong/{slow.pk}/" and slow.number in finding["message"]
    assert "1件留言超过15个工作日" in finding["message"] and "平均12.0个工作日，最长20个工作日" in finding["message"]
    assert "interaction_slow" not in run.failing and run.score <= 99
    assert _finding(run_inspection(quick_site), "interaction_slow") is None
    settings.ZQ_INSPECT_ANSWER_WORKING_DAYS = 20  # the local limit is a setting
    assert _finding(run_inspection(slow_site), "interaction_slow") is None


# --- Visits ------------------------------------------------------------------------------------


@pytest.mark.parametrize("cache_seconds", [0, 300])
def test_page_views_are_counted_per_site(cluster, settings, cache_seconds):
    county_a, county_b = cluster["county_a"], cluster["county_b"]
    tenant_visits.flush()  # views earlier tests left in this process's memory
    cache.clear()
    settings.ZQ_VISITS_FLUSH_SECONDS = 3600
    with override_settings(ZQ_PAGE_CACHE_SECONDS=cache_seconds):
        for _ in range(3):
            assert client_for(county_a).get("/").status_code == 200  # hits and misses alike
        client_for(county_b).get("/news/")
        client_for(county_b).get("/no-such-page/")  # a 404 is not a page view
        client_for(county_b, HTTP_USER_AGENT=INSPECTION_AGENT).get("/")  # nor the inspection's probe
        run_inspection(county_b)
        identity_services.grant_role(person("visits-editor2"), county_b, "editor", by="test")
        logged_in(county_b, "visits-editor2").get("/")  # nor an editor
    today = timezone.localdate()
    with schema_context("public"):  # a view costs no I/O: counted in memory until the next flush
        assert cache.get(tenant_visits.key(county_a.pk, today)) is None
    assert scheduler.run_due(only={"site_visits"}) == ["site_visits"]  # the daily fold
    views = dict(SiteVisits.objects.filter(day=today).values_list("site__slug", "views"))
    assert views[county_a.slug] == 3 and views[county_b.slug] == 1
    settings.ZQ_VISITS_FLUSH_SECONDS = 0
    client_for(county_b).get("/")
    with schema_context("public"):
        assert cache.get(tenant_visits.key(county_b.pk, today)) == 2  # flushed with the view
    visits.fold()  # folding again writes the running total, never twice the views
    assert SiteVisits.objects.get(site=county_b, day=today).views == 2


def test_a_site_with_few_visitors_becomes_a_closure_candidate_and_a_busy_one_does_not(cluster, settings):
    quiet, busy = cluster["county_a"], cluster["county_b"]
    today = timezone.localdate()
    Site.objects.filter(pk__in=[quiet.pk, busy.pk]).update(created_at=timezone.now() - datetime.timedelta(days=400))
    for offset in range(1, 91):
        day = today - datetime.timedelta(days=offset)
        SiteVisits.objects.create(site=quiet, day=day, views=3)
        SiteVisits.objects.create(site=busy, day=day, views=50)
    publish_article(quiet, "news", "今日动态", publish_date=today)
    publish_article(busy, "news", "今日动态", publish_date=today)
    run_inspection(quiet)
    run_inspection(busy)
    candidates = {c.site.pk: c for c in closure_candidates(today)}
    assert busy.pk not in candidates
    reasons = " ".join(candidates[quiet.pk].reasons)
    assert "近90天日均访问量3.0次，低于10次（共270次）" in reasons

    # Before the count covers 90 days nobody is a candidate for want of visitors.
    SiteVisits.objects.filter(day__lt=today - datetime.timedelta(days=30)).delete()
    assert "访问量" not in " ".join(reason for c in closure_candidates(today) for reason in c.reasons)


# --- Alerts to operators -----------------------------------------------------------------------


def test_operators_get_the_alert_mail_besides_the_editors(cluster, settings, smtp):  # noqa: F811 - the fixture
    county = cluster["county_b"]
    person("alert-ops", operator=True, email="ops@platform.example")
    Account.objects.filter(pk=person("alert-ops-off", operator=True, email="gone@platform.example").pk).update(
        is_active=False
    )
    identity_services.grant_role(person("alert-ed", email="editor@baishui.example"), county, "editor", by="test")
    with schema_context(county.schema_name):
        home = HomePage.objects.get()
        for number in range(2):
            home.add_child(instance=ColumnPage(title=f"空栏目{number}", slug=f"empty-{number}", kind="general"))
    run = run_inspection(county)
    assert "columns_empty" in run.failing
    [to_ops] = smtp.to("ops@platform.example")
    [to_editor] = smtp.to("editor@baishui.example")
    assert "网站普查" in to_ops["Subject"] and county.name in to_ops["Subject"]
    assert "空白栏目" in to_ops.get_content() and f"/console/inspection/{county.pk}/" in to_ops.get_content()
    assert "ops@platform.example" not in to_editor["To"]  # neither audience sees the other's addresses
    assert not smtp.to("gone@platform.example")
    run_inspection(county)  # still failing the same items: no second alert
    assert len(smtp.to("ops@platform.example")) == 1


def test_a_scheduled_pass_sends_the_operators_one_digest_and_each_site_its_own_mail(cluster, smtp):  # noqa: F811
    """A deploy that makes many sites fail at once (a new rule) must not flood the operators with a mail per
    site: the pass sends them one digest naming every newly failing site; each site's editors get their own."""
    counties = [cluster["county_a"], cluster["county_b"]]
    person("digest-ops", operator=True, email="digest-ops@platform.example")
    for county, address in zip(counties, ("a@county.example", "b@county.example"), strict=True):
        identity_services.grant_role(person(f"digest-{county.slug}", email=address), county, "editor", by="test")
        with schema_context(county.schema_name):
            home = HomePage.objects.get()
            for number in range(5):
                column = ColumnPage(title=f"空栏目{number}", slug=f"digest-empty-{number}", kind="general")
                home.add_child(instance=column)
    runs = inspect_sites(counties)
    assert all("columns_empty" in run.failing for run in runs)
    [digest] = smtp.to("digest-ops@platform.example")
    body = digest.get_content()
    assert "2" in digest["Subject"] and all(county.name in body for county in counties)
    assert all(f"/console/inspection/{county.pk}/" in body for county in counties)
    assert len(smtp.to("a@county.example")) == 1 and len(smtp.to("b@county.example")) == 1
    assert counties[1].name not in smtp.to("a@county.example")[0].get_content()
    inspect_sites(counties)  # nothing new: no second digest
    assert len(smtp.to("digest-ops@platform.example")) == 1


# --- Closed sites ------------------------------------------------------------------------------


def test_closed_and_closing_sites_are_not_listed_as_never_inspected(cluster):
    closed, closing = cluster["township"], cluster["department"]
    Site.objects.filter(pk=closed.pk).update(status=SiteStatus.CLOSED)
    Site.objects.filter(pk=closing.pk).update(status=SiteStatus.CLOSING)
    run_inspection(cluster["county_a"])
    listed = {site.pk: run for site, run in latest_runs()}
    assert closed.pk not in listed and closing.pk not in listed
    assert listed[cluster["county_a"].pk] is not None and cluster["city"].pk in listed
    assert closed.pk not in {c.site.pk for c in closure_candidates()}


def test_a_pass_rests_between_sites_to_work_only_its_duty_share(cluster, settings):
    """A scheduled pass spreads its work (ZQ_INSPECT_DUTY) so the public pages keep the machine."""
    settings.ZQ_INSPECT_DUTY = 0.5
    sites = [cluster["county_a"], cluster["county_b"]]
    started = time.monotonic()
    runs = inspect_sites(sites)
    wall = time.monotonic() - started
    worked = sum((run.finished - run.started).total_seconds() for run in runs)
    assert len(runs) == 2 and wall >= worked / 0.5  # at least as long again resting as working
    settings.ZQ_INSPECT_PASS_MINUTES = 0  # a pass past its time budget no longer rests
    started = time.monotonic()
    runs = inspect_sites(sites)
    worked = sum((run.finished - run.started).total_seconds() for run in runs)
    assert time.monotonic() - started < worked / 0.5
