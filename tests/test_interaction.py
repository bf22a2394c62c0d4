"""互动交流 scenarios (issue #18): mailbox letters, deadlines, transfers, isolation, flood limits,
personal data, 依申请公开, 找错 and surveys — each through real HTTP with the site's Host header."""

from __future__ import annotations

import datetime
import re

import pytest
from captcha.models import CaptchaStore
from django.core.exceptions import ValidationError
from django.utils import timezone
from interaction import services, stats
from interaction.models import Decision, Item, ItemKind, ItemStatus, Mailbox, Survey

from audit.models import AuditEvent
from review import workdays
from tests.console_helpers import operator_client
from tests.interaction_helpers import CAPTCHA_OK, backdate, citizen, letter, query_code
from tests.people import editor, logged_in

pytestmark = pytest.mark.django_db


def _write(site, **fields):
    return citizen(site).post("/hudong/xinxiang/leader/", letter(**fields))


def _item(code: str) -> Item:
    return Item.objects.get(query_code=code)


def test_citizen_writes_editor_answers_citizen_reads_reply(cluster, django_capture_on_commit_callbacks):
    county = cluster["county_a"]
    editor("ia-editor", county)
    index = citizen(county).get("/hudong/")
    assert index.status_code == 200 and "领导信箱" in index.content.decode()
    form = citizen(county).get("/hudong/xinxiang/leader/")
    assert form.status_code == 200 and 'name="captcha_1"' in form.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        received = _write(county)
    assert received.status_code == 200
    code = query_code(received)
    item = _item(code)
    assert item.site == county and item.kind == ItemKind.LETTER and item.status == ItemStatus.PENDING
    assert item.due_date == workdays.add_working_days(timezone.localdate(), item.mailbox.deadline_days)

    pending = citizen(county).post("/hudong/chaxun/", {"code": code.lower()})
    assert "正在办理中" in pending.content.decode()

    staff = logged_in(county, "ia-editor")
    listing = staff.get("/admin/hudong/list/pending/").content.decode()
    assert item.number in listing
    answered = staff.post(
        f"/admin/hudong/{item.pk}/", {"action": "answer", "answer": "已安排城管部门整治，设置禁停标志。"}
    )
    assert answered.status_code == 302
    item.refresh_from_db()
    assert item.status == ItemStatus.ANSWERED and item.answered_on_time
    assert item.number in staff.get("/admin/hudong/list/done/").content.decode()

    reply = citizen(county).post("/hudong/chaxun/", {"code": code})
    text = reply.content.decode()
    assert reply.status_code == 200 and "已安排城管部门整治" in text
    assert "张三" not in text and "13800001234" not in text

    wrong = citizen(county).post("/hudong/chaxun/", {"code": "ABCDEFGHJKMN"})
    assert wrong.status_code == 404 and "未找到与该查询码对应的事项" in wrong.content.decode()
    # Another site's host does not open this county's letter (same message: nothing to enumerate).
    elsewhere = citizen(cluster["county_b"]).post("/hudong/chaxun/", {"code": code})
    assert elsewhere.status_code == 404 and "已安排城管部门整治" not in elsewhere.content.decode()
    assert AuditEvent.objects.filter(action="interaction.answer", object_id=str(item.pk)).exists()


def test_bad_input_is_refused_with_chinese_errors_and_nothing_stored(cluster):
    county = cluster["county_a"]
    response = _write(county, phone="", email="", content="长" * 3001, captcha_1="wrong")
    text = response.content.decode()
    assert response.status_code == 400
    assert "请至少留下联系电话或电子邮箱中的一项" in text and "验证码错误" in text and "3000" in text
    assert not Item.objects.filter(site=county).exists()
    assert citizen(county).get("/hudong/xinxiang/no-such-box/").status_code == 404


def test_wrong_captcha_is_refused_with_test_mode_off(cluster, monkeypatch):
    """The real captcha: the answer stored for the shown challenge passes, a wrong one does not."""
    import captcha.conf.settings as captcha_settings

    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", False)
    county = cluster["county_a"]
    client = citizen(county)

    def challenge() -> str:
        page = client.get("/hudong/xinxiang/leader/").content.decode()
        return re.search(r'name="captcha_0" value="([0-9a-f]+)"', page).group(1)

    key = challenge()
    assert client.get(f"/captcha/image/{key}/").status_code == 200
    refused = client.post("/hudong/xinxiang/leader/", letter(captcha_0=key, captcha_1="zzzz"))
    assert refused.status_code == 400 and "验证码错误" in refused.content.decode()
    assert not Item.objects.filter(site=county).exists()
    key = challenge()
    answer = CaptchaStore.objects.get(hashkey=key).response
    accepted = client.post("/hudong/xinxiang/leader/", letter(captcha_0=key, captcha_1=answer))
    assert accepted.status_code == 200 and Item.objects.filter(site=county).count() == 1


def test_unanswered_letter_past_its_deadline_is_overdue_for_staff_and_reviewer(cluster):
    county, town = cluster["county_a"], cluster["township"]
    editor("ia-county-ed", county)  # edits the county, and so reviews the township
    editor("ia-town-ed", town)
    code = query_code(_write(town))
    item = backdate(_item(code), 40)
    fresh = _item(query_code(citizen(town, "10.0.0.9").post("/hudong/xinxiang/leader/", letter(subject="新来信"))))
    assert item.is_overdue and not fresh.is_overdue

    staff = logged_in(town, "ia-town-ed")
    overdue = staff.get("/admin/hudong/list/overdue/").content.decode()
    assert item.number in overdue and fresh.number not in overdue and "已超期" in overdue
    assert "已超过办理期限" in staff.get(f"/admin/hudong/{item.pk}/").content.decode()

    queue = logged_in(county, "ia-county-ed").get("/admin/review/").content.decode()
    assert "逾期未办事项" in queue and item.number in queue and fresh.number not in queue
    assert "张三" not in queue  # the reviewer sees the subject, not the writer

    figures = stats.figures(town)
    assert (figures.received, figures.pending, figures.overdue) == (2, 2, 1)


def test_township_question_transferred_to_county_is_answered_there(cluster):
    county, town = cluster["county_a"], cluster["township"]
    editor("ia-t-county", county)
    editor("ia-t-town", town)
    code = query_code(_write(town, subject="县城公交线路调整"))
    item = _item(code)

    town_staff = logged_in(town, "ia-t-town")
    moved = town_staff.post(
        f"/admin/hudong/{item.pk}/", {"action": "transfer", "target": county.pk, "note": "县级事项"}
    )
    assert moved.status_code == 302
    item.refresh_from_db()
    assert item.site == county and item.transferred_from == town and item.mailbox.site == county
    assert item.number not in town_staff.get("/admin/hudong/list/pending/").content.decode()
    assert town_staff.get(f"/admin/hudong/{item.pk}/").status_code == 404
    assert AuditEvent.objects.filter(action="interaction.transfer", site=town, object_id=str(item.pk)).exists()
    assert AuditEvent.objects.filter(action="interaction.transfer_in", site=county, object_id=str(item.pk)).exists()

    county_staff = logged_in(county, "ia-t-county")
    listing = county_staff.get("/admin/hudong/list/pending/").content.decode()
    assert item.number in listing and "青山县城关镇人民政府转来" in listing
    county_staff.post(f"/admin/hudong/{item.pk}/", {"action": "answer", "answer": "县交通局将增开班次。"})
    item.refresh_from_db()
    assert item.status == ItemStatus.ANSWERED and item.site == county
    # The writer asked the township: its site still answers the code.
    assert "县交通局将增开班次" in citizen(town).post("/hudong/chaxun/", {"code": code}).content.decode()


def test_staff_of_one_site_never_see_or_act_on_another_sites_items(cluster):
    county_a, county_b, town = cluster["county_a"], cluster["county_b"], cluster["township"]
    editor("ia-iso-b", county_b)
    editor("ia-iso-a", county_a)  # reviews the township, but is not its staff
    item = _item(query_code(_write(county_a)))
    town_item = _item(query_code(citizen(town, "10.0.0.7").post("/hudong/xinxiang/leader/", letter())))

    other = logged_in(county_b, "ia-iso-b")
    assert item.number not in other.get("/admin/hudong/list/pending/").content.decode()
    assert other.get(f"/admin/hudong/{item.pk}/").status_code == 404
    refused = other.post(f"/admin/hudong/{item.pk}/", {"action": "answer", "answer": "越权答复"})
    assert refused.status_code == 404
    item.refresh_from_db()
    assert item.status == ItemStatus.PENDING and item.answer == ""

    reviewer = logged_in(town, "ia-iso-a")
    # Wagtail's admin answers PermissionDenied with a redirect to the dashboard and a message.
    for url in (f"/admin/hudong/{town_item.pk}/", "/admin/hudong/list/pending/"):
        denied = reviewer.get(url)
        assert denied.status_code == 302 and denied.url == "/admin/"
    denied = reviewer.post(f"/admin/hudong/{town_item.pk}/", {"action": "answer", "answer": "越权"})
    town_item.refresh_from_db()
    assert denied.status_code == 302 and town_item.status == ItemStatus.PENDING


def test_thirty_posts_a_minute_from_one_address_are_refused_but_a_normal_visitor_is_not(cluster, settings):
    county = cluster["county_a"]
    flooder = citizen(county, "203.0.113.50")
    codes = [flooder.post("/hudong/xinxiang/leader/", letter(subject=f"刷屏{n}")).status_code for n in range(30)]
    limit = settings.ZQ_INTERACTION_POSTS_PER_WINDOW
    assert codes[:limit] == [200] * limit
    assert set(codes[limit:]) == {429}
    refused = flooder.post("/hudong/xinxiang/leader/", letter())
    assert "提交过于频繁，请稍后再试" in refused.content.decode()
    assert Item.objects.filter(site=county).count() == limit
    # Another site is no fresh budget for the same address.
    assert citizen(cluster["county_b"], "203.0.113.50").post("/hudong/zhaocuo/", {}).status_code == 429

    visitor = citizen(county, "198.51.100.7")
    assert visitor.get("/hudong/").status_code == 200
    assert visitor.post("/hudong/xinxiang/leader/", letter()).status_code == 200


def test_published_reply_shows_no_personal_data_and_needs_consent(cluster):
    county = cluster["county_a"]
    editor_user = editor("ia-pub", county).username
    agreed = _item(query_code(_write(county, may_publish="on", subject="路灯不亮", id_number="")))
    refused = _item(
        query_code(citizen(county, "10.0.0.3").post("/hudong/xinxiang/leader/", letter(subject="隐私来信")))
    )
    staff = logged_in(county, editor_user)
    for item in (agreed, refused):
        staff.post(f"/admin/hudong/{item.pk}/", {"action": "answer", "answer": f"答复{item.subject}"})
    response = staff.post(f"/admin/hudong/{refused.pk}/", {"action": "publish"})
    assert "来信人未同意公开" in response.content.decode()
    staff.post(f"/admin/hudong/{agreed.pk}/", {"action": "publish"})
    agreed.refresh_from_db()
    refused.refresh_from_db()
    assert agreed.is_published and not refused.is_published

    page = citizen(county).get("/hudong/").content.decode()
    assert "路灯不亮" in page and "答复路灯不亮" in page and "某某" in page
    assert "隐私来信" not in page
    for personal in ("张三", "13800001234", "zhangsan@example.com"):
        assert personal not in page
    # The admin (handling site's staff) does show them.
    assert "13800001234" in staff.get(f"/admin/hudong/{agreed.pk}/").content.decode()


def test_disclosure_request_with_20_plus_20_clock_and_a_decision(cluster):
    county = cluster["county_a"]
    editor("ia-ysq", county)
    form = citizen(county).get("/ysqgk/")
    assert form.status_code == 200 and "20 个工作日" in form.content.decode()
    request_data = {
        "applicant_type": "citizen",
        "name": "李四",
        "id_number": "110101199001011234",
        "phone": "13900002222",
        "email": "lisi@example.com",
        "address": "青山县人民路1号",
        "subject": "2025年城区道路改造工程预算",
        "content": "请提供2025年城区道路改造工程的预算文件。",
        "delivery": "email",
        **CAPTCHA_OK,
    }
    missing = citizen(county).post("/ysqgk/", {**request_data, "delivery": ""})
    assert missing.status_code == 400 and "获取信息的方式" in missing.content.decode()
    received = citizen(county).post("/ysqgk/", request_data)
    assert received.status_code == 200 and "YSQ" in received.content.decode()
    item = _item(query_code(received))
    today = timezone.localdate()
    assert item.kind == ItemKind.DISCLOSURE and item.due_date == workdays.add_working_days(today, 20)

    staff = logged_in(county, "ia-ysq")
    no_approver = staff.post(f"/admin/hudong/{item.pk}/", {"action": "extend", "approver": "", "reason": "需会商"})
    assert no_approver.status_code == 400
    item.refresh_from_db()
    assert not item.extended
    staff.post(f"/admin/hudong/{item.pk}/", {"action": "extend", "approver": "王副县长", "reason": "需征求第三方意见"})
    item.refresh_from_db()
    assert item.extended and item.due_date == workdays.add_working_days(today, 40)
    again = staff.post(f"/admin/hudong/{item.pk}/", {"action": "extend", "approver": "王副县长", "reason": "再延"})
    assert "只能延长一次" in again.content.decode()

    no_reason = staff.post(
        f"/admin/hudong/{item.pk}/", {"action": "answer", "answer": "经审查不予公开。", "decision": Decision.WITHHELD}
    )
    assert "须说明理由" in no_reason.content.decode()
    staff.post(
        f"/admin/hudong/{item.pk}/",
        {
            "action": "answer",
            "answer": "经审查，该信息属于过程性信息，不予公开。",
            "decision": Decision.WITHHELD,
            "decision_reason": "过程性信息（条例第十六条）",
        },
    )
    item.refresh_from_db()
    assert item.status == ItemStatus.ANSWERED and item.decision == Decision.WITHHELD
    annual = stats.disclosure_annual(county, today.year)
    assert annual["不予公开"] == 1 and annual["本年新收政府信息公开申请数量"] == 1 and annual["延期答复"] == 1
    assert "不予公开" in staff.get("/admin/hudong/tongji/").content.decode()
    reply = citizen(county).post("/hudong/chaxun/", {"code": item.query_code}).content.decode()
    assert "过程性信息" in reply and "110101199001011234" not in reply


def test_error_report_has_a_three_working_day_limit(cluster):
    county = cluster["county_a"]
    response = citizen(county).post(
        "/hudong/zhaocuo/",
        {
            "page_url": "http://t-county-a.localhost/news/",
            "subject": "错别字",
            "content": "首页通知标题“青山县”误写为“清山县”。",
            **CAPTCHA_OK,
        },
    )
    assert response.status_code == 200
    item = _item(query_code(response))
    assert item.kind == ItemKind.ERROR and item.due_date == workdays.add_working_days(timezone.localdate(), 3)
    backdate(item, 10)
    assert item.is_overdue and stats.figures(county, kind=ItemKind.ERROR).overdue == 1


def test_survey_collects_answers_in_its_period_and_publishes_results_after(cluster):
    county = cluster["county_a"]
    editor("ia-survey", county)
    staff = logged_in(county, "ia-survey")
    today = timezone.localdate()
    created = staff.post(
        "/admin/hudong/diaocha/",
        {
            "title": "城区停车管理意见征集",
            "kind": "survey",
            "description": "",
            "starts_on": today.isoformat(),
            "ends_on": (today + datetime.timedelta(days=7)).isoformat(),
            "questions": "您是否支持夜间限停大货车：支持/不支持\n其他建议",
        },
    )
    assert created.status_code == 302
    survey = Survey.objects.get(site=county, title="城区停车管理意见征集")
    choice, written = survey.questions.all()
    url = f"/hudong/diaocha/{survey.pk}/"
    assert "城区停车管理意见征集" in citizen(county).get("/hudong/").content.decode()
    for n, (address, vote) in enumerate([("10.1.0.1", "支持"), ("10.1.0.2", "支持"), ("10.1.0.3", "不支持")]):
        answered = citizen(county, address).post(
            url, {f"q{choice.pk}": vote, f"q{written.pk}": f"建议{n}", **CAPTCHA_OK}
        )
        assert "感谢您的参与" in answered.content.decode()
    bad = citizen(county, "10.1.0.4").post(url, {f"q{choice.pk}": "随便", f"q{written.pk}": "x", **CAPTCHA_OK})
    assert bad.status_code == 400 and "请从选项中选择" in bad.content.decode()
    assert "结果公布" not in citizen(county).get(url).content.decode()

    Survey.objects.filter(pk=survey.pk).update(
        starts_on=today - datetime.timedelta(days=10), ends_on=today - datetime.timedelta(days=1)
    )
    closed = citizen(county, "10.1.0.5").get(url).content.decode()
    assert "结果公布" in closed and "2</td><td>67%" in closed and "1</td><td>33%" in closed
    assert "共收到 3 条意见" in closed and "建议0" not in closed
    late = citizen(county, "10.1.0.6").post(url, {f"q{choice.pk}": "支持", **CAPTCHA_OK})
    assert "感谢您的参与" not in late.content.decode() and survey.responses.count() == 3
    assert citizen(cluster["county_b"]).get(url).status_code == 404


def test_operators_see_the_cluster_table(cluster):
    _write(cluster["county_a"])
    citizen(cluster["township"], "10.0.0.5").post("/hudong/xinxiang/leader/", letter())
    page = operator_client().get("/admin/hudong/cluster/").content.decode()
    assert 'data-site="t-county-a"' in page and 'data-site="t-town"' in page and "全部站点" in page
    site_editor = logged_in(cluster["county_a"], editor("ia-not-op", cluster["county_a"]).username)
    assert site_editor.get("/admin/hudong/cluster/").status_code == 404


def test_services_layer_guards(cluster):
    county = cluster["county_a"]
    item = _item(query_code(_write(county)))
    with pytest.raises(ValidationError):
        services.transfer(item, county, user=None)
    with pytest.raises(ValidationError):
        services.extend(item, user=None, approver="x", reason="y")  # not a 依申请公开 request
    with pytest.raises(ValidationError):
        services.set_published(item, True, user=None)  # not answered yet
    report = services.receive(county, ItemKind.ERROR, {"subject": "错字", "content": "x", "may_publish": True})
    services.answer(report, "已改正。", user=None)
    with pytest.raises(ValidationError):
        services.set_published(report, True, user=None)  # only letters' replies are published


def test_staff_configure_mailboxes_and_assign_a_letter(cluster):
    county = cluster["county_a"]
    editor("ia-cfg", county)
    colleague = editor("ia-colleague", county)
    staff = logged_in(county, "ia-cfg")
    page = staff.get("/admin/hudong/xinxiang/")
    assert page.status_code == 200 and "领导信箱" in page.content.decode()
    boxes = list(Mailbox.objects.filter(site=county).order_by("ordering", "pk"))
    data = {"form-TOTAL_FORMS": len(boxes) + 1, "form-INITIAL_FORMS": len(boxes), "form-MAX_NUM_FORMS": 1000}
    for n, box in enumerate(boxes):
        data.update(
            {
                f"form-{n}-id": box.pk,
                f"form-{n}-name": "县长信箱" if box.slug == "leader" else box.name,
                f"form-{n}-slug": box.slug,
                f"form-{n}-kind": box.kind,
                f"form-{n}-deadline_days": 7 if box.slug == "leader" else box.deadline_days,
                f"form-{n}-notify_email": "",
                f"form-{n}-ordering": box.ordering,
                **({f"form-{n}-is_active": "on"} if box.slug != "complaint" else {}),
            }
        )
    n = len(boxes)
    data.update({f"form-{n}-name": "12345热线", f"form-{n}-slug": "rexian", f"form-{n}-kind": "consult"})
    data.update({f"form-{n}-deadline_days": 3, f"form-{n}-ordering": 9, f"form-{n}-is_active": "on"})
    assert staff.post("/admin/hudong/xinxiang/", data).status_code == 302
    index = citizen(county).get("/hudong/").content.decode()
    assert "县长信箱" in index and "7个工作日" in index and "12345热线" in index and "投诉建议" not in index
    assert citizen(county).get("/hudong/xinxiang/complaint/").status_code == 404
    item = _item(query_code(citizen(county).post("/hudong/xinxiang/rexian/", letter())))
    assert item.due_date == workdays.add_working_days(timezone.localdate(), 3)
    assert Mailbox.objects.filter(site=cluster["county_b"], slug="rexian").count() == 0

    staff.post(f"/admin/hudong/{item.pk}/", {"action": "assign", "assignee": colleague.username})
    item.refresh_from_db()
    assert item.assignee == colleague.username
    assert AuditEvent.objects.filter(action="interaction.assign", object_id=str(item.pk)).exists()
    refused = staff.post(f"/admin/hudong/{item.pk}/", {"action": "assign", "assignee": "nobody-here"})
    item.refresh_from_db()
    assert refused.status_code == 400 and item.assignee == colleague.username


def test_working_day_counts_match_the_calendar_day_by_day():
    """The table-based count equals walking the official calendar (holidays and make-up days)."""
    start = datetime.date(2025, 12, 1)
    for offset in range(0, 420, 3):
        begin = start + datetime.timedelta(days=offset)
        for length in (1, 9, 40, 400):
            end = begin + datetime.timedelta(days=length)
            walked = sum(
                workdays.is_working_day(begin + datetime.timedelta(days=n)) for n in range(1, (end - begin).days + 1)
            )
            assert workdays.working_days_between(begin, end) == walked
    assert workdays.working_days_between(start, start) == 0
    assert workdays.is_working_day(datetime.date(2026, 10, 10))  # a Saturday made a working day (调休)
    assert workdays.add_working_days(datetime.date(2026, 9, 30), 1) > datetime.date(2026, 10, 7)


def test_page_cache_never_shares_a_form_and_drops_hudong_when_a_reply_is_published(
    cluster, settings, django_capture_on_commit_callbacks
):
    settings.ZQ_PAGE_CACHE_SECONDS = 300
    county = cluster["county_a"]
    editor("ia-cache", county)
    for path in ("/hudong/xinxiang/leader/", "/ysqgk/", "/hudong/zhaocuo/", "/hudong/chaxun/"):
        citizen(county).get(path)
        again = citizen(county).get(path)
        assert again.get("X-Cache") != "HIT" and "no-store" in again["Cache-Control"], path
    citizen(county).get("/hudong/")
    assert citizen(county).get("/hudong/")["X-Cache"] == "HIT"

    item = _item(query_code(_write(county, may_publish="on", subject="公园厕所无人保洁")))
    staff = logged_in(county, "ia-cache")
    staff.post(f"/admin/hudong/{item.pk}/", {"action": "answer", "answer": "已安排专人保洁。"})
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(f"/admin/hudong/{item.pk}/", {"action": "publish"})
    fresh = citizen(county).get("/hudong/")
    assert fresh["X-Cache"] == "MISS" and "公园厕所无人保洁" in fresh.content.decode()
