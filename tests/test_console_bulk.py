"""Bulk site creation from an uploaded CSV: progress, the good rows created, every bad row reported
with its line and reason (and downloadable), nothing half-made."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from django_tenants.utils import schema_exists

from console import bulk_import
from console.models import BulkImport, ImportStatus
from tenants.models import Site
from tests.console_helpers import operator_client, upload_csv
from tests.helpers import client_for

CSV = """name,slug,kind,parent_slug,domain,aliases,theme,site_code,icp_number,police_number,organiser,operator,contact
南岭县人民政府,nanling,county,t-city,,nl-alias.localhost,red,4311220001,,,南岭县人民政府办公室,,
南岭县水口镇人民政府,nanling-shuikou,township,nanling,,,,,,,,,
重复代号,t-county-a,county,t-city,,,,,,,,,
用了IP,ip-site,county,t-city,10.0.0.8,,,,,,,,
别人的域名,stolen,county,t-city,t-county-b.localhost,,,,,,,,
没有上级的镇,orphan-town,township,,,,,,,,,,
,noname,county,,,,,,,,,,
=公式,formula,county,no-such-parent,,,,,,,,,
"""


@pytest.fixture(autouse=True)
def inline_runner(settings):
    settings.ZQ_BACKGROUND_RUNNER = "inline"


def test_a_csv_with_bad_rows_creates_the_good_ones_and_reports_every_bad_row(cluster):
    client = operator_client()
    before = Site.objects.count()

    response = upload_csv(client, CSV)
    job = BulkImport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("console_sites:bulk_detail", args=[job.pk])
    assert job.status == ImportStatus.DONE and job.done == job.total == 8

    assert {site["slug"] for site in job.created} == {"nanling", "nanling-shuikou"}
    assert Site.objects.count() == before + 2
    assert Site.objects.get(slug="nanling-shuikou").parent.slug == "nanling"  # parent from an earlier row
    assert client_for("nanling.localhost").get("/").status_code == 200
    assert client_for("nl-alias.localhost").get("/").status_code == 301

    reasons = {error["line"]: error["message"] for error in job.errors}
    assert sorted(reasons) == [4, 5, 6, 7, 8, 9]
    assert "已被使用" in reasons[4]
    assert "IP 地址" in reasons[5]
    assert "已被其他站点使用" in reasons[6] or "已被站点" in reasons[6]
    assert "必须指定上级站点" in reasons[7]
    assert "缺少必填项" in reasons[8]
    assert "不存在" in reasons[9]
    for slug in ("ip-site", "stolen", "orphan-town", "noname", "formula"):
        assert not Site.objects.filter(slug=slug).exists() and not schema_exists(f"site_{slug.replace('-', '_')}")

    page = client.get(response["Location"]).content.decode()
    assert "已完成" in page and "南岭县人民政府" in page and "IP 地址" in page

    report = client.get(reverse("console_sites:bulk_report", args=[job.pk]))
    assert report.status_code == 200 and report["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(report.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["行号", "站点代号", "原因", "name"]
    assert [row[0] for row in rows[1:]] == ["4", "5", "6", "7", "8", "9"]
    assert rows[-1][3] == "'=公式"  # a cell a spreadsheet would run as a formula is quoted

    progress = client.get(reverse("console_sites:bulk_progress", args=[job.pk])).json()
    assert progress == {"status": "done", "status_label": "已完成", "done": 8, "total": 8, "created": 2, "errors": 6,
                        "last_error": ""}  # fmt: skip


@pytest.mark.parametrize(
    "content, encoding, message",
    [
        ("名称,代号\n青山,qs\n", "utf-8", "CSV 缺少必需的列"),
        ("name,slug,kind\n", "utf-8", "没有站点行"),
        ("name,slug,kind\n青山县,qs,county\n", "gbk", "不是 UTF-8 编码"),
        ("", "utf-8", "空文件"),
    ],
)
def test_an_unusable_file_is_refused_with_a_clear_message_and_starts_nothing(cluster, content, encoding, message):
    client = operator_client()
    response = upload_csv(client, content, encoding=encoding)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["file"])
    assert not BulkImport.objects.exists()


def test_a_run_cut_short_resumes_after_its_last_finished_row(cluster):
    job = BulkImport.objects.create(filename="x.csv", content=CSV, total=8, created_by="ops", done=2,
                                    created=[{"line": 2, "slug": "x", "name": "x", "domain": "x"}],
                                    status=ImportStatus.FAILED)  # fmt: skip
    bulk_import.run(job.pk)
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.done == 8
    assert len(job.errors) == 6 and len(job.created) == 1  # rows 2-3 were behind it: not created twice
    assert not Site.objects.filter(slug="nanling").exists()
