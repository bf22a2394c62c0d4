"""A closed site's old URLs (关停上移 step 4–5): 301 to their new home on P or 410 with the notice,
answered from the public schema on every domain of X, and verified by crawling them all."""

from __future__ import annotations

import codecs
import csv
import datetime
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.encoding import iri_to_uri
from django_tenants.utils import schema_context, schema_exists
from wagtail.documents import get_document_model

from audit.models import AuditEvent
from tenants.closure import report
from tenants.closure.models import Closure, ClosureStatus, VerifyState
from tenants.closure.verify import accept_exception, verify
from tenants.content.models import ArticlePage
from tests.closure_ops import DOCUMENT_BYTES, close_by_hand, township
from tests.helpers import client_for

EMBLEM = b"\x89PNG\r\n\x1a\n" + b"emblem" * 30


@pytest.fixture
def closed(cluster, settings, tmp_path):
    """A fresh township (with an alias) closed into county A by hand; rolled back after the test."""
    settings.MEDIA_ROOT = str(tmp_path)
    x = township("ops-town", cluster["county_a"])
    with schema_context(cluster["county_a"].schema_name):  # an image copied to P, served from local media
        emblem = default_storage.url(default_storage.save("original_images/镇徽.png", ContentFile(EMBLEM)))
    return close_by_hand(x, cluster["county_a"], file_url=f"http://t-county-a.localhost{emblem}", file_size=len(EMBLEM))


def hosts(closed) -> list[str]:
    return [closed.site.primary_domain, "ops-town-alias.localhost"]


# --- redirect -------------------------------------------------------------------------------


def test_every_old_url_on_every_domain_answers_301_to_its_new_home(closed):
    for host in hosts(closed):
        for path, row in closed.urls.items():
            response = client_for(host).get(path)
            if row.new_url:
                assert response.status_code == 301, (host, path)
                assert response["Location"] == iri_to_uri(row.new_url)
            else:
                assert response.status_code == 410, (host, path)


def test_a_list_page_matches_with_its_query_then_the_bare_path_carries_the_query(closed):
    section = closed.url("/").new_url
    client = client_for(closed.site)
    assert client.get("/news/?page=2")["Location"] == iri_to_uri(f"{section}news/?page=2")
    assert client.get("/news/?page=3")["Location"] == iri_to_uri(f"{section}news/?page=3")
    article = client.get("/news/安全生产会议/?from=weibo")
    assert article.status_code == 301
    assert article["Location"] == iri_to_uri(f"{section}news/安全生产会议/?from=weibo")
    assert client.get("/news")["Location"] == iri_to_uri(f"{section}news/")  # an old link without its slash


def test_a_url_without_a_new_home_answers_410_with_the_closure_notice(closed):
    for path in ["/service/", "/no/such/page/"]:
        response = client_for("ops-town-alias.localhost").get(path)
        assert response.status_code == 410
        html = response.content.decode()
        assert "青山县城关镇人民政府关停整合公告" in html
        assert "青山县人民政府" in html  # P's name
        assert 'href="http://t-county-a.localhost/"' in html  # P's address
        assert 'href="http://t-county-a.localhost/城关镇/"' in html  # the section X's content went to


def test_the_closed_sites_schema_is_not_needed_to_answer(closed):
    schema = closed.site.schema_name
    with connection.cursor() as cursor:
        cursor.execute(f'ALTER SCHEMA "{schema}" RENAME TO "gone_{schema}"')
    assert not schema_exists(schema)
    assert client_for(closed.site).get("/news/安全生产会议/").status_code == 301
    assert client_for("ops-town-alias.localhost").get("/service/").status_code == 410


def test_planned_rows_are_inert_until_the_closure_redirects(closed):
    Closure.objects.filter(pk=closed.closure.pk).update(status=ClosureStatus.EXECUTING)
    response = client_for(closed.site).get("/news/安全生产会议/")
    assert response.status_code == 410  # today's plain notice for a closed site without a live closure
    assert "关停整合公告" in response.content.decode()


def test_a_normal_site_never_queries_the_closure_tables(closed, cluster):
    with CaptureQueriesContext(connection) as queries:
        assert client_for(cluster["county_b"]).get("/").status_code == 200
    # The closure app's tables ("closure_…"), not the library's "disclosure" column, which the home
    # page reads for its syndicated items.
    assert not [q["sql"] for q in queries.captured_queries if '"closure_' in q["sql"]]
    with CaptureQueriesContext(connection) as queries:
        assert client_for(closed.site).get("/news/").status_code == 301
    assert [q["sql"] for q in queries.captured_queries if '"closure_' in q["sql"]]


# --- verify ---------------------------------------------------------------------------------


def test_verification_crawls_every_url_on_every_domain_and_completes_the_closure(closed, settings):
    settings.ZQ_CLOSURE_REDIRECT_DAYS = 400
    seen = []
    report = verify(closed.closure, by="operator", progress=lambda done, total, step: seen.append((done, total, step)))
    n = len(closed.urls)
    assert report["total"] == n and report["passed"] == n and report["failed"] == 0, report["failures"]
    assert report["hosts"] == hosts(closed) and report["by"] == "operator"
    assert report["requests"] >= 2 * n  # every URL on both domains, plus following each new URL
    assert seen[-1] == (n, n, "verify")
    closure = Closure.objects.get(pk=closed.closure.pk)
    assert closure.status == ClosureStatus.COMPLETED and closure.completed_at is not None
    assert closure.verify_report == report and closure.verified_at is not None
    assert closure.redirect_expires_on == timezone.localdate(closure.completed_at) + datetime.timedelta(days=400)
    notice = client_for(closed.site).get("/service/").content.decode()
    assert f"自动跳转保留至{closure.redirect_expires_on:%Y年%-m月%-d日}" in notice
    assert set(closure.urls.values_list("verify_state", flat=True)) == {VerifyState.PASSED}
    actions = set(AuditEvent.objects.filter(object_id=str(closure.pk)).values_list("action", flat=True))
    assert {"closure_verify", "closure_complete"} <= actions


def test_a_missing_page_fails_and_the_closure_completes_only_once_it_is_accepted(closed):
    with schema_context(closed.target.schema_name):
        ArticlePage.objects.get(slug="spring-cleaning").unpublish()
    report = verify(closed.closure, by="operator")
    assert report["failed"] == 1
    failure = report["failures"][0]
    assert failure["path"] == "/news/spring-cleaning/" and "404" in failure["detail"]
    row = closed.closure.urls.get(path="/news/spring-cleaning/")
    assert row.verify_state == VerifyState.FAILED and "404" in row.verify_detail
    assert Closure.objects.get(pk=closed.closure.pk).status == ClosureStatus.REDIRECTING

    with pytest.raises(ValidationError, match="原因"):
        accept_exception(row, by="operator", reason="  ")
    with pytest.raises(ValidationError, match="无需接受例外"):
        accept_exception(closed.closure.urls.get(path="/"), by="operator", reason="x")
    accept_exception(row, by="chief", reason="该文章已按规定撤稿")
    row.refresh_from_db()
    assert row.verify_state == VerifyState.ACCEPTED and row.accepted_by == "chief"
    closure = Closure.objects.get(pk=closed.closure.pk)
    assert closure.status == ClosureStatus.COMPLETED
    event = AuditEvent.objects.get(action="closure_exception", object_id=str(closure.pk))
    assert event.actor_username == "chief" and event.details["reason"] == "该文章已按规定撤稿"


def test_a_changed_title_a_wrong_target_and_a_wrong_file_size_each_fail(closed):
    with schema_context(closed.target.schema_name):
        article = ArticlePage.objects.get(slug="安全生产会议")
        article.title = "另一篇文章"
        article.save_revision().publish()
    closed.closure.urls.filter(path="/notices/").update(new_url="http://t-county-a.localhost/nowhere/")
    plan = closed.closure.plan
    plan["file_sizes"]["/documents/7/财政预算公开表.pdf"] = len(DOCUMENT_BYTES) + 1
    Closure.objects.filter(pk=closed.closure.pk).update(plan=plan)
    report = verify(closed.closure, by="operator")
    details = {f["path"]: f["detail"] for f in report["failures"]}
    assert set(details) == {"/news/安全生产会议/", "/notices/", "/documents/7/财政预算公开表.pdf"}
    assert "标题为“另一篇文章" in details["/news/安全生产会议/"]
    assert "返回 404" in details["/notices/"]
    assert "文件大小" in details["/documents/7/财政预算公开表.pdf"]


def test_urls_still_served_by_x_itself_fail(closed):
    closed.site.status = "active"
    closed.site.save()
    report = verify(closed.closure, by="operator")
    assert report["failed"] == len(closed.urls)
    assert "应返回 301，实际为 200" in closed.closure.urls.get(path="/").verify_detail


def test_verification_is_refused_before_the_closure_redirects(closed):
    Closure.objects.filter(pk=closed.closure.pk).update(status=ClosureStatus.NOTICE)
    with pytest.raises(ValidationError, match="公告期"):
        verify(closed.closure, by="operator")


def test_the_command_verifies_shows_the_report_and_accepts_an_exception(closed, capsys):
    with schema_context(closed.target.schema_name):
        ArticlePage.objects.get(slug="春节放假").unpublish()
    with pytest.raises(CommandError, match="1 个地址未通过"):
        call_command("verify_closure", "ops-town")
    out = capsys.readouterr()
    assert "/notices/春节放假/" in out.out
    call_command("verify_closure", "ops-town", "--show")
    assert "未通过 1" in capsys.readouterr().out
    with pytest.raises(CommandError, match="原因"):
        call_command("verify_closure", "ops-town", "--accept", "/notices/春节放假/")
    call_command("verify_closure", "ops-town", "--accept", "/notices/春节放假/", "--reason", "通知已过期，不再保留")
    assert Closure.objects.get(pk=closed.closure.pk).status == ClosureStatus.COMPLETED
    with pytest.raises(CommandError, match="没有"):
        call_command("verify_closure", "no-such-site")
    with pytest.raises(CommandError, match="基础地址"):
        call_command("verify_closure", "ops-town", "--base-url", "ftp:/x")


def test_a_document_saved_on_local_storage_is_served_from_its_sites_prefix(cluster, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    with schema_context(cluster["county_b"].schema_name):
        document = get_document_model()(title="附件")
        document.file.save("附件.txt", ContentFile("白水县".encode()), save=False)
        document.save()
        assert document.file.name == "documents/附件.txt"
    assert (tmp_path / cluster["county_b"].schema_name / "documents" / "附件.txt").exists()
    response = client_for(cluster["county_b"]).get(document.url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == "白水县".encode()


# --- national offline report ----------------------------------------------------------------


def test_the_offline_report_lists_completed_closures_as_csv_and_xlsx_without_formulas(closed, cluster, tmp_path):
    closed.site.organiser = '=HYPERLINK("http://evil.example/","点此")'
    closed.site.save()
    verify(closed.closure, by="operator")
    Closure.objects.filter(pk=closed.closure.pk).update(redirect_expires_on=datetime.date(2026, 1, 31))
    still_open = close_by_hand(township("ops-town-2", cluster["county_b"], name="白水县某镇"), cluster["county_b"])
    assert still_open.closure.status == ClosureStatus.REDIRECTING  # not reported until it completes

    with pytest.raises(CommandError, match="--csv 或 --xlsx"):
        call_command("closure_report")
    csv_path, xlsx_path = tmp_path / "下线报备.csv", tmp_path / "下线报备.xlsx"
    call_command("closure_report", "--csv", str(csv_path), "--xlsx", str(xlsx_path))

    raw = csv_path.read_bytes()
    assert raw.startswith(codecs.BOM_UTF8)
    header, *rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert header == report.COLUMNS and len(rows) == 1
    row = dict(zip(header, rows[0], strict=True))
    closure = Closure.objects.get(pk=closed.closure.pk)
    assert row["网站名称"] == "青山县城关镇人民政府" and row["网站标识码"] == "3301020001"
    assert row["主办单位"] == "'" + closed.site.organiser  # neutralised, shown as text
    assert row["域名"] == "ops-town.localhost；ops-town-alias.localhost"
    assert row["迁入网站名称"] == "青山县人民政府" and row["新网站地址"] == "http://t-county-a.localhost/"
    assert row["迁入栏目地址"] == "http://t-county-a.localhost/城关镇/"
    assert row["关停日期"] == timezone.localdate(closed.site.closed_at).isoformat()
    assert row["跳转截止日期"] == "2026-01-31" and "跳转已到期" in row["状态"]
    assert closure.get_status_display() in row["状态"]

    sheet = openpyxl.load_workbook(xlsx_path).active
    assert [c.value for c in sheet[1]] == report.COLUMNS and sheet.max_row == 2
    organiser = sheet.cell(row=2, column=3)
    assert organiser.data_type == "s" and organiser.value == "'" + closed.site.organiser
    assert sheet.cell(row=2, column=9).value.date() == datetime.date(2026, 1, 31)
