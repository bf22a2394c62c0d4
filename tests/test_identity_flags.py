"""A site missing footer identity (页脚标识信息) is flagged to its editors in its own admin: a dashboard
panel naming each missing field with its national-rule meaning, and a warning on every admin page
saying who can fix it. A complete site shows neither."""

from __future__ import annotations

from django.db import connection
from django.urls import reverse

from console.sites import update_site
from tenants.footer_identity import missing_identity_fields
from tests.console_helpers import operator_client
from tests.people import editor, logged_in

COMPLETE = {
    "organiser": "江城市人民政府办公室",
    "operator": "江城市大数据中心",
    "contact": "027-12345678",
    "site_code": "4201000001",
    "icp_number": "鄂ICP备05003384号-1",
    "police_number": "鄂公网安备42010202000301号",
}


def test_missing_identity_fields_names_each_gap_in_footer_order(cluster):
    site = cluster["county_b"]
    site.organiser, site.operator, site.contact = "白水县人民政府办公室", "", " "
    site.site_code, site.icp_number, site.police_number = "4201230001", "", "鄂公网安备42010202000301号"
    assert missing_identity_fields(site) == [
        ("operator", "承办单位"),
        ("contact", "联系方式"),
        ("icp_number", "ICP备案号"),
    ]
    site.__dict__.update(COMPLETE)
    assert missing_identity_fields(site) == []


def test_an_editor_of_a_site_missing_its_icp_number_sees_it_on_the_dashboard_and_every_page(cluster):
    site = cluster["county_a"]
    update_site(site, {**COMPLETE, "icp_number": ""})
    editor("flag-editor-a", site)
    client = logged_in(site, "flag-editor-a")
    dashboard = client.get("/admin/").content.decode()
    assert "网站标识信息不完整" in dashboard
    panel = dashboard.split("网站标识信息不完整", 1)[1].split("</section>", 1)[0]
    assert "ICP备案号" in panel and "工业和信息化部" in panel
    assert "公安备案号" not in panel and "主办单位" not in panel
    pages = client.get("/admin/pages/").content.decode()
    assert "本站页脚缺少国家规定的网站标识信息：ICP备案号" in pages
    assert "请联系平台管理员" in pages
    assert pages.count("本站页脚缺少国家规定的网站标识信息") == 1


def test_an_editor_of_a_complete_site_sees_no_flag(cluster):
    site = cluster["city"]
    update_site(site, COMPLETE)
    editor("flag-editor-city", site)
    client = logged_in(site, "flag-editor-city")
    for path in ("/admin/", "/admin/pages/"):
        html = client.get(path).content.decode()
        assert "网站标识信息不完整" not in html and "本站页脚缺少" not in html, path


def test_the_flag_is_shown_once_and_not_left_over_for_the_next_page(cluster):
    site = cluster["county_b"]
    editor("flag-editor-b", site)
    client = logged_in(site, "flag-editor-b")
    for _ in range(3):
        html = client.get("/admin/pages/").content.decode()
        assert html.count("本站页脚缺少国家规定的网站标识信息") == 1
    connection.set_schema_to_public()


def test_the_console_site_detail_lists_the_same_gaps(cluster):
    county = cluster["county_b"]
    update_site(county, {**COMPLETE, "police_number": ""})
    html = operator_client().get(reverse("console_sites:detail", args=[county.pk])).content.decode()
    assert "页脚标识信息不完整" in html
    gaps = html.split("页脚标识信息不完整", 1)[1].split("</div>", 1)[0]
    assert "公安备案号" in gaps and "ICP备案号" not in gaps
