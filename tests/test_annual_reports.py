"""年度报表 (issue #19): a site's 《政府网站工作年度报表》 filled from its own data, edited, published on
its home page and /ndbb/, downloaded as XLSX and PDF; the operator's 《政府网站监管年度报表》; who may
do what."""

from __future__ import annotations

import datetime
import io

import pytest
from annualreports import services
from annualreports.forms_spec import SITE_FORM, rows_of
from annualreports.models import OperatorReport, SiteReport
from django.db import connection
from django.test import override_settings
from django.utils import timezone
from inspection.models import InspectionRun
from interaction.models import Item
from interaction.services import answer
from openpyxl import load_workbook
from pypdf import PdfReader

from audit.models import AuditEvent
from tenants.closure.models import Closure, ClosureStatus
from tenants.demo.reports import load_annual_reports
from tenants.models import Site, SiteStatus
from tests.console_helpers import operator_client
from tests.helpers import client_for, publish_article
from tests.interaction_helpers import CAPTCHA_OK, citizen, query_code
from tests.people import editor, logged_in, submitter

pytestmark = pytest.mark.django_db

YEAR = 2025


def _plant_2025_content(site) -> None:
    """3 news and 2 notices in 2025, one news item in 2026; a policy document and its interpretation."""
    for month in (2, 5, 9):
        publish_article(site, "news", f"{month}月工作动态", publish_date=datetime.date(YEAR, month, 10))
    for month in (3, 11):
        publish_article(site, "notices", f"{month}月通知", publish_date=datetime.date(YEAR, month, 1))
    publish_article(site, "news", "新年第一条动态", publish_date=datetime.date(YEAR + 1, 1, 5))
    publish_article(site, "policy", "关于印发某某办法的通知", publish_date=datetime.date(YEAR, 6, 1))
    publish_article(site, "interpretation", "某某办法政策解读", publish_date=datetime.date(YEAR, 6, 2))


def _form_data(report, **changes) -> dict:
    """The edit form as the browser posts it: every row with its current value, then ``changes``."""
    data = {}
    for row in rows_of(SITE_FORM):
        value = report.values.get(row.key)
        if row.kind == "bool":
            data[row.key] = "" if value is None else ("1" if value else "0")
        else:
            data[row.key] = "" if value is None else str(value)
    data.update(changes)
    return data


def _fill(client, year: int = YEAR):
    return client.post("/admin/ndbb/fill/", {"year": year})


def test_an_editor_fills_last_years_report_and_the_numbers_match_the_sites_content(cluster):
    county = cluster["county_a"]
    _plant_2025_content(county)
    InspectionRun.objects.create(
        site=county,
        started=timezone.make_aware(datetime.datetime(YEAR, 4, 1, 9)),
        finished=timezone.make_aware(datetime.datetime(YEAR, 4, 1, 9, 5)),
        verdict="fail",
        score=80,
        failing=["columns_empty"],
        details={"findings": [{"indicator": "columns_empty", "url": "/x/", "message": "空白栏目"}]},
    )
    editor("ar-fill", county)
    client = logged_in(county, "ar-fill")
    page = client.get("/admin/ndbb/")
    assert page.status_code == 200 and "2025年度报表尚未填报" in page.content.decode()
    assert _fill(client).status_code == 302
    values = SiteReport.objects.get(site=county, year=YEAR).values
    assert values["info_news"] == 5  # 3 news + 2 notices of 2025; the 2026 item and the welcome item do not count
    assert values["info_disclosure"] == 2 and values["interpretation_materials"] == 1
    assert values["info_total"] == 7 and values["interpretation_total"] == 1
    assert values["site_name"] == county.name and values["home_url"].startswith("http://t-county-a.localhost")
    assert values["security_checks"] == 1 and values["security_issues"] == 1 and values["security_monitoring"] is True
    assert values["unified_platform"] is True and values["messages_received"] == 0
    shown = client.get("/admin/ndbb/?year=2025").content.decode()
    assert "政务动态信息更新量" in shown and "平台数据" in shown


def test_an_edited_row_survives_a_refresh_and_the_others_follow_the_data(cluster):
    county = cluster["county_b"]
    _plant_2025_content(county)
    editor("ar-edit", county)
    client = logged_in(county, "ar-edit")
    _fill(client)
    report = SiteReport.objects.get(site=county, year=YEAR)
    response = client.post(
        f"/admin/ndbb/{report.pk}/edit/",
        _form_data(report, info_news="99", visitors="12345", weibo_name="白水发布", smart_qa="1"),
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert set(report.edited) == {"info_news", "visitors", "weibo_name", "smart_qa"}
    publish_article(county, "news", "又一条2025年动态", publish_date=datetime.date(YEAR, 12, 1))
    publish_article(county, "policy", "又一份2025年文件", publish_date=datetime.date(YEAR, 12, 2))
    _fill(client)
    report.refresh_from_db()
    assert report.values["info_news"] == 99 and report.values["visitors"] == 12345
    assert report.values["weibo_name"] == "白水发布" and report.values["smart_qa"] is True
    assert report.values["info_disclosure"] == 3  # not edited: refilled from the data


def test_bad_numbers_are_form_errors_in_chinese_and_nothing_is_stored(cluster):
    county = cluster["county_a"]
    editor("ar-bad", county)
    client = logged_in(county, "ar-bad")
    _fill(client)
    report = SiteReport.objects.get(site=county, year=YEAR)
    before = dict(report.values)
    response = client.post(
        f"/admin/ndbb/{report.pk}/edit/",
        _form_data(report, visitors="十二", weibo_posts="-3", messages_avg_days="1.25", info_news="5"),
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "“独立用户访问总量（单位：个）”请填写不小于0的整数。" in text
    assert "“微博·信息发布量（单位：条）”请填写不小于0的整数。" in text
    assert "最多一位小数" in text
    report.refresh_from_db()
    assert report.values == before and report.edited == []


def test_publishing_shows_the_report_on_the_home_page_at_once_and_on_ndbb(cluster, django_capture_on_commit_callbacks):
    county = cluster["county_a"]
    _plant_2025_content(county)
    editor("ar-pub", county)
    client = logged_in(county, "ar-pub")
    visitor = client_for(county)
    with override_settings(ZQ_PAGE_CACHE_SECONDS=300, ZQ_ROUTING_CACHE_SECONDS=300):
        visitor.get("/")
        home = visitor.get("/")
        assert home["X-Cache"] == "HIT" and "政府网站工作年度报表" not in home.content.decode()
        _fill(client)
        report = SiteReport.objects.get(site=county, year=YEAR)
        assert visitor.get("/ndbb/2025/").status_code == 404  # a draft is not public
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(f"/admin/ndbb/{report.pk}/publish/").status_code == 302
        home = visitor.get("/")
        assert home["X-Cache"] == "MISS"
        assert 'href="/ndbb/2025/">政府网站工作年度报表（2025年度）</a>' in home.content.decode()
    report.refresh_from_db()
    assert report.is_published and report.published_by == "ar-pub"
    assert AuditEvent.objects.filter(action="annualreport.publish", site=county, actor_username="ar-pub").exists()
    page = visitor.get("/ndbb/2025/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "<caption>青山县人民政府《政府网站工作年度报表》（2025年度）</caption>" in text
    assert '<th scope="row">政务动态信息更新量</th><td>5</td>' in text
    assert 'href="/ndbb/2025/xlsx/"' in text and 'href="/ndbb/2025/pdf/"' in text
    assert 'href="/ndbb/2025/"' in visitor.get("/ndbb/").content.decode()
    # The dashboard no longer reminds the editors.
    assert "尚未发布" not in client.get("/admin/").content.decode()


def test_downloads_are_the_form_as_xlsx_and_pdf(cluster):
    county = cluster["county_a"]
    _plant_2025_content(county)
    report = services.fill_site_report(county, YEAR, by="test")
    services.publish_site_report(report, by="test")
    visitor = client_for(county)

    xlsx = visitor.get("/ndbb/2025/xlsx/")
    assert xlsx.status_code == 200 and "attachment" in xlsx["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet["A1"].value == "政府网站工作年度报表（2025年度）"
    cells = {row[2] or row[1]: row[3] for row in sheet.iter_rows(min_row=4, values_only=True)}
    assert cells["政务动态信息更新量"] == 5 and cells["网站名称"] == "青山县人民政府"  # figures stay numbers
    assert "A1:D1" in {str(merged) for merged in sheet.merged_cells.ranges}
    assert any(str(merged).startswith("A") and ":A" in str(merged) for merged in sheet.merged_cells.ranges)

    pdf = visitor.get("/ndbb/2025/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "青山县人民政府" in text and "政府网站工作年度报表" in text and "政务动态信息更新量" in text
    assert visitor.get("/ndbb/2025/docx/").status_code == 404
    assert visitor.get("/ndbb/2024/pdf/").status_code == 404


def test_another_sites_editor_gets_404_for_this_report(cluster):
    report = services.fill_site_report(cluster["county_a"], YEAR, by="test")
    editor("ar-other", cluster["county_b"])
    other = logged_in(cluster["county_b"], "ar-other")
    assert other.get(f"/admin/ndbb/{report.pk}/edit/").status_code == 404
    assert other.get(f"/admin/ndbb/{report.pk}/download/xlsx/").status_code == 404
    assert other.post(f"/admin/ndbb/{report.pk}/publish/").status_code == 404
    report.refresh_from_db()
    assert not report.is_published


def _refused(response) -> bool:
    """Wagtail's admin answers a refused permission with a redirect to the dashboard (and a message)."""
    return response.status_code == 403 or (response.status_code == 302 and response.url == "/admin/")


def test_a_township_clerk_can_neither_edit_nor_publish(cluster):
    town = cluster["township"]
    report = services.fill_site_report(town, YEAR, by="test")
    submitter("ar-clerk", town, ["news"])
    clerk = logged_in(town, "ar-clerk")
    assert _refused(clerk.get("/admin/ndbb/"))
    assert _refused(clerk.post(f"/admin/ndbb/{report.pk}/publish/"))
    assert _refused(clerk.post(f"/admin/ndbb/{report.pk}/edit/", _form_data(report, visitors="1")))
    assert "政府网站工作年度报表" not in clerk.get("/admin/").content.decode()
    report.refresh_from_db()
    assert not report.is_published and report.edited == []
    # The county's editor reviews the township (上级审核) and publishes its report.
    editor("ar-county", cluster["county_a"])
    county_editor = logged_in(town, "ar-county")
    assert county_editor.post(f"/admin/ndbb/{report.pk}/publish/").status_code == 302
    report.refresh_from_db()
    assert report.is_published and report.published_by == "ar-county"


def test_the_dashboard_reminds_editors_of_last_years_unpublished_report(cluster):
    county = cluster["county_b"]
    editor("ar-remind", county)
    dashboard = logged_in(county, "ar-remind").get("/admin/").content.decode()
    year = timezone.localdate().year - 1
    assert f"{year}年度《政府网站工作年度报表》尚未发布" in dashboard
    assert f"{year + 1}年1月31日" in dashboard


def _error_report(site) -> Item:
    form = {"page_url": f"http://{site.primary_domain}/news/", "subject": "错别字", "content": "标题有错别字。"}
    response = citizen(site).post("/hudong/zhaocuo/", {**form, **CAPTCHA_OK})
    return Item.objects.get(query_code=query_code(response))


def test_the_operator_report_counts_sites_opened_and_closed_and_error_reports(cluster):
    this_year = timezone.localdate().year
    client = operator_client("ar-ops")
    connection.set_schema_to_public()
    running = Site.objects.exclude(kind="platform").count()
    Site.objects.filter(pk=cluster["county_b"].pk).update(created_at=timezone.now().replace(year=this_year - 2))
    town = cluster["township"]
    Closure.objects.create(
        site=town,
        target=cluster["county_a"],
        section_slug="chengguan",
        section_title="城关镇",
        status=ClosureStatus.COMPLETED,
        executed_at=timezone.now(),
        completed_at=timezone.now(),
    )
    Site.objects.filter(pk=town.pk).update(status=SiteStatus.CLOSED, closed_at=timezone.now())
    handled = _error_report(cluster["county_a"])
    answer(handled, "已更正。", user="staff")
    _error_report(cluster["county_a"])

    assert client.post("/admin/console/ndbb/fill/", {"year": this_year}).status_code == 302
    values = OperatorReport.objects.get(year=this_year).values
    assert values["sites_opened"] == running - 1  # every test site but the one now created two years ago
    assert values["sites_closed"] == 1 and values["sites_merged"] == 1
    assert values["sites_running"] == running - 1
    assert values["errors_received"] == 2 and values["errors_handled"] == 1 and values["errors_on_time"] == 1

    report = OperatorReport.objects.get(year=this_year)
    data = {"training_sessions": "3", "training_people": "120", "unit": "江城市人民政府办公室"}
    assert client.post(f"/admin/console/ndbb/{report.pk}/edit/", data).status_code == 302
    report.refresh_from_db()
    assert report.values["training_people"] == 120 and "training_sessions" in report.edited
    assert AuditEvent.objects.filter(action="annualreport.operator_edit", actor_username="ar-ops").exists()
    bad = client.post(f"/admin/console/ndbb/{report.pk}/edit/", {**data, "training_people": "很多"})
    assert bad.status_code == 400 and "“培训人数（单位：人次）”请填写不小于0的整数。" in bad.content.decode()
    xlsx = client.get(f"/admin/console/ndbb/{report.pk}/download/xlsx/")
    assert xlsx.status_code == 200 and load_workbook(io.BytesIO(xlsx.content)).active["A1"].value.startswith(
        "政府网站监管年度报表"
    )
    assert client.get(f"/admin/console/ndbb/{report.pk}/download/pdf/").content.startswith(b"%PDF")


def test_the_console_lists_every_sites_report_status_for_the_year(cluster):
    services.publish_site_report(services.fill_site_report(cluster["county_a"], YEAR, by="t"), by="t")
    services.fill_site_report(cluster["county_b"], YEAR, by="t")
    page = operator_client("ar-ops-list").get("/admin/console/ndbb/?year=2025").content.decode()
    expected = {"county_a": "已发布", "county_b": "草稿", "department": "未填报"}
    for site, label in ((cluster[key], label) for key, label in expected.items()):
        assert f'<th scope="row">{site.name}</th><td>{site.get_kind_display()}</td><td>{label}</td>' in page
    # A site's host has no console screen.
    editor("ar-console", cluster["county_a"])
    assert logged_in(cluster["county_a"], "ar-console").get("/admin/console/ndbb/").status_code == 404


def test_public_urls_of_an_unpublished_or_missing_report_are_404(cluster):
    county = cluster["county_b"]
    services.fill_site_report(county, YEAR, by="test")
    visitor = client_for(county)
    for path in ("/ndbb/2025/", "/ndbb/2025/xlsx/", "/ndbb/2025/pdf/", "/ndbb/1999/"):
        assert visitor.get(path).status_code == 404, path
    listing = visitor.get("/ndbb/")
    assert listing.status_code == 200 and "本站尚未发布年度报表" in listing.content.decode()
    assert "政府网站工作年度报表" not in visitor.get("/").content.decode()


def test_the_demo_leaves_drafts_and_the_city_portals_report_published(cluster):
    sites = list(cluster.values())
    load_annual_reports(sites, log=lambda _line: None)
    load_annual_reports(sites, log=lambda _line: None)  # idempotent
    year = services.default_year()
    reports = {report.site_id: report for report in SiteReport.objects.filter(year=year)}
    assert set(reports) == {site.pk for site in sites}
    assert [site.kind for site in sites if reports[site.pk].is_published] == ["city"]
    assert reports[cluster["county_a"].pk].values["filler"] == "张华"
    home = client_for(cluster["city"]).get("/").content.decode()
    assert f"政府网站工作年度报表（{year}年度）" in home
