"""The console's audit screens: every entry opens, exports are safe to open in a spreadsheet, and
every row written during a request carries the client's address (Wagtail's signals included)."""

from __future__ import annotations

import csv
import io
import re
from html import unescape

import pytest
from django.db import connection
from django.urls import reverse
from django_tenants.utils import schema_context
from wagtail.models import WorkflowState

from audit.log import record
from audit.models import AuditEvent
from identity.models import Account, lockout_minutes
from tests.helpers import client_for, publish_article
from tests.people import PASSWORD, add_article, article_by_title, editor, logged_in, person, submitter

PLATFORM = "platform.localhost"
FORMULA_TITLE = '=HYPERLINK("http://x","y")'


def _export_rows(client, fmt: str, **filters) -> list[list[str]]:
    response = client.get(reverse("console_audit:index"), {**filters, "export": fmt})
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    if fmt == "csv":
        return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(content)).active
    return [["" if value is None else str(value) for value in row] for row in sheet.iter_rows(values_only=True)]


def _inspected(html: str) -> dict[str, str]:
    """The inspect page's label → value pairs, as text."""
    pairs = re.findall(r"<dt>(.*?)</dt>\s*<dd>(.*?)</dd>", html, re.S)
    return {label.strip(): unescape(re.sub(r"<[^>]+>", "", value)).strip() for label, value in pairs}


def test_every_audit_entry_opens_in_the_console(cluster):
    person("ops-inspect", operator=True)
    editor("inspected", cluster["county_a"])
    client = logged_in(PLATFORM, "ops-inspect")
    logged_in(cluster["county_a"], "inspected")
    connection.set_schema_to_public()  # the requests above left the connection on the county's schema
    platform_event = record("account_update", actor="ops-inspect", note="平台级事件")

    listing = client.get(reverse("console_audit:index"), {"actor_username": "inspected"}).content.decode()
    login_event = AuditEvent.objects.get(action="login", actor_username="inspected")
    inspect_url = reverse("console_audit:inspect", args=(login_event.pk,))
    assert inspect_url in listing

    page = client.get(inspect_url)
    assert page.status_code == 200
    html = page.content.decode()
    for text in ("inspected", "登录", "青山县人民政府", "127.0.0.1"):
        assert text in html, text
    assert reverse("console_audit:index") in html

    assert _inspected(html)["站点"] == "青山县人民政府"
    assert _inspected(html)["操作"] == "登录（login）"

    platform_page = client.get(reverse("console_audit:inspect", args=(platform_event.pk,)))
    assert platform_page.status_code == 200
    fields = _inspected(platform_page.content.decode())
    assert fields["站点"] == "平台" and fields["IP地址"] == "-" and "平台级事件" in fields["详情"]

    assert client.get(reverse("console_audit:inspect", args=(10**9,))).status_code == 404


def test_the_inspect_page_is_for_operators_on_the_platform_only(cluster):
    a = cluster["county_a"]
    editor("not-ops-inspect", a)
    event = record("login", actor="someone", site=a)
    site_client = logged_in(a, "not-ops-inspect")
    assert site_client.get(reverse("console_audit:inspect", args=(event.pk,))).status_code == 404
    anonymous = client_for(PLATFORM).get(reverse("console_audit:inspect", args=(event.pk,)))
    assert anonymous.status_code == 302 and reverse("wagtailadmin_login") in anonymous["Location"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exports_neutralise_spreadsheet_formulas(cluster, fmt):
    city = cluster["city"]
    person("ops-formula", operator=True)
    publish_article(city, "news", FORMULA_TITLE)
    dangerous = ["+SUM(1,2)", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"]
    for value in dangerous:
        record("login_failed", actor=value, site=city, note=value)
    client = logged_in(PLATFORM, "ops-formula")

    rows = _export_rows(client, fmt, site=city.pk)
    header, body = rows[0], rows[1:]
    titles = [row[header.index("对象")] for row in body]
    assert "'" + FORMULA_TITLE in titles
    actors = {row[header.index("操作人")] for row in body}
    for value in dangerous:
        expected = "'" + value
        if fmt == "xlsx":  # an XML reader normalises a carriage return to a line feed
            expected = expected.replace("\r", "\n")
        assert expected in actors, (value, actors)
    for row in body:
        for cell in row:
            assert not cell or cell[0] not in "=+-@\t\r", row


def test_submit_approve_and_publish_rows_carry_the_client_address(cluster):
    town = cluster["township"]
    submitter("ip-submitter", town, ["news"])
    editor("ip-editor", town)

    clerk = client_for(town, REMOTE_ADDR="192.0.2.41")
    login = clerk.post(reverse("wagtailadmin_login"), {"username": "ip-submitter", "password": PASSWORD})
    assert login.status_code == 302
    add_article(clerk, town, "news", "带地址的报送", action="action-submit")
    page = article_by_title(town, "带地址的报送")
    with schema_context(town.schema_name):
        task_state = WorkflowState.objects.get(object_id=str(page.pk)).current_task_state

    chief = client_for(town, REMOTE_ADDR="192.0.2.42")
    login = chief.post(reverse("wagtailadmin_login"), {"username": "ip-editor", "password": PASSWORD})
    assert login.status_code == 302
    chief.post(reverse("wagtailadmin_pages:workflow_action", args=(page.pk, "approve", task_state.pk)), {"comment": ""})
    assert article_by_title(town, "带地址的报送").live

    rows = AuditEvent.objects.filter(site=town, object_repr="带地址的报送")
    assert dict(rows.values_list("action", "ip")) == {
        "submit": "192.0.2.41",
        "approve": "192.0.2.42",
        "publish": "192.0.2.42",
    }
    assert dict(rows.values_list("action", "actor_username")) == {
        "submit": "ip-submitter",
        "approve": "ip-editor",
        "publish": "ip-editor",
    }


def test_rows_written_outside_a_request_have_no_address(cluster):
    page = publish_article(cluster["city"], "news", "命令行发布")
    event = AuditEvent.objects.get(action="publish", object_id=str(page.pk), site=cluster["city"])
    assert event.ip is None


def test_an_operators_account_edits_are_audited_with_what_changed(cluster):
    person("ops-edits", operator=True)
    account = person("edited-person", display_name="旧名")
    client = client_for(PLATFORM, REMOTE_ADDR="192.0.2.60")
    client.post(reverse("wagtailadmin_login"), {"username": "ops-edits", "password": PASSWORD})
    url = reverse("console_accounts:edit", args=(account.pk,))

    assert client.post(url, {"display_name": "新名", "email": "", "lock": "on"}).status_code == 302
    assert Account.objects.get(pk=account.pk).is_locked
    edits = AuditEvent.objects.filter(action="account_update", object_id=str(account.pk)).order_by("id")
    assert [event.details for event in edits] == [
        {"changes": {"display_name": ["旧名", "新名"], "is_active": [True, False]}},
        {"locked": True, "minutes": lockout_minutes()},
    ]
    assert {(event.actor_username, event.ip, event.site_id) for event in edits} == {("ops-edits", "192.0.2.60", None)}

    client.post(url, {"display_name": "新名", "email": "", "is_active": "on", "unlock": "on"})
    later = [event.details for event in edits.all()][2:]
    assert later == [{"changes": {"is_active": [False, True]}}, {"locked": False}]
