"""The closure notice (关停整合公告): on X and on P, with the planned date and the new address, a banner on
X's home page, a notice period of 30 days unless shortened with a recorded reason."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_tenants.utils import schema_context

from audit.models import AuditEvent
from tenants.closure.execute import execute
from tenants.closure.models import ClosureStatus
from tenants.closure.notice import start_notice
from tenants.closure.plan import plan_closure
from tenants.closure.rollback import rollback
from tenants.content.models import ColumnPage
from tests.helpers import client_for


def test_the_notice_is_published_on_both_sites_and_the_township_shows_a_banner(cluster):
    town, county = cluster["township"], cluster["county_a"]
    closure = start_notice(plan_closure(town, by="operator"), by="operator")

    planned = timezone.localdate() + datetime.timedelta(days=30)
    assert closure.status == ClosureStatus.NOTICE and closure.notice_days == 30 and closure.planned_date == planned
    assert closure.shortened_reason == ""
    town.refresh_from_db()
    assert town.status == "closing"
    new_address = "http://t-county-a.localhost/t-town/"
    date = f"{planned.year}年{planned.month}月{planned.day}日"
    for site in (town, county):
        html = client_for(site).get(f"/notices/closure-notice-{closure.pk}/").content.decode()
        assert "关于青山县城关镇人民政府网站关停整合的公告" in html, site
        assert date in html and new_address in html
        assert "关于青山县城关镇人民政府网站关停整合的公告" in client_for(site).get("/notices/").content.decode()
    home = client_for(town).get("/").content.decode()
    assert 'class="closure-notice"' in home and date in home and new_address in home
    assert f'href="/notices/closure-notice-{closure.pk}/"' in home
    assert 'class="closure-notice"' not in client_for(county).get("/").content.decode()
    event = AuditEvent.objects.get(action="closure_notice", site=town)
    assert event.details["days"] == 30 and event.details["planned_date"] == planned.isoformat()

    # The notice is itself one of X's URLs: it will point at P's notice.
    urls = {row.path: row.new_url for row in closure.urls.all()}
    assert (
        urls[f"/notices/closure-notice-{closure.pk}/"]
        == f"http://t-county-a.localhost/notices/closure-notice-{closure.pk}/"
    )

    with pytest.raises(ValidationError, match="公告期未满"):
        execute(closure, by="operator")


def test_a_shorter_notice_needs_a_reason_which_is_recorded(cluster):
    town = cluster["township"]
    closure = plan_closure(town, by="operator")
    with pytest.raises(ValidationError, match="须填写缩短原因"):
        start_notice(closure, by="operator", notice_days=5)
    with pytest.raises(ValidationError, match="不小于 0 的整数"):
        start_notice(closure, by="operator", notice_days=-1, reason="x")
    closure.refresh_from_db()
    assert closure.status == ClosureStatus.PLANNED

    start_notice(closure, by="operator")  # 30 days first ...
    closure = start_notice(closure, by="operator", notice_days=0, reason="乡镇机构改革，县政府决定立即整合")
    assert closure.planned_date == timezone.localdate() and closure.notice_days == 0  # ... then shortened
    assert closure.shortened_reason == "乡镇机构改革，县政府决定立即整合"
    latest = AuditEvent.objects.filter(action="closure_notice", site=town).order_by("-pk").first()
    assert latest.details["shortened_reason"] == "乡镇机构改革，县政府决定立即整合"
    with schema_context(town.schema_name):  # the same notice, rewritten with the new date, not a second one
        assert (
            ColumnPage.objects.get(slug="notices").get_children().filter(slug__startswith="closure-notice").count() == 1
        )
    html = client_for(town).get(f"/notices/closure-notice-{closure.pk}/").content.decode()
    today = timezone.localdate()
    assert f"{today.year}年{today.month}月{today.day}日关停" in html


def test_a_site_without_a_notices_column_gets_one_and_loses_it_again_on_rollback(cluster):
    town = cluster["township"]
    with schema_context(town.schema_name):
        ColumnPage.objects.get(slug="notices").delete()
    closure = start_notice(plan_closure(town, by="operator"), by="operator", notice_days=1, reason="测试")
    response = client_for(town).get(f"/notices/closure-notice-{closure.pk}/")
    assert response.status_code == 200
    rollback(closure, by="operator", reason="撤销关停")
    assert client_for(town).get("/notices/").status_code == 404
    assert client_for(cluster["county_a"]).get(f"/notices/closure-notice-{closure.pk}/").status_code == 404
    town.refresh_from_db()
    assert town.status == "active"
    assert 'class="closure-notice"' not in client_for(town).get("/").content.decode()
