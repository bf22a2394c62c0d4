"""The review chain (上级审核): a township clerk submits, the county's editors review it — from their
own admin's 待审核 queue or in the township's admin — without any role on the township; nobody
else can, and the clerk still cannot publish."""

from __future__ import annotations

import datetime

from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tenants.utils import schema_context
from wagtail.models import WorkflowState

from audit.models import AuditEvent
from identity import services
from identity.models import SiteRole
from review import chain, workdays
from review.queue import review_queue
from shared_library import services as library
from shared_library.models import ResourceStatus
from shared_library.rights import EDITOR, Actor
from siteusers.models import User
from tests.helpers import client_for
from tests.people import add_article, article_by_title, editor, logged_in, login, person


def _task_state(site, page):
    with schema_context(site.schema_name):
        state = WorkflowState.objects.filter(object_id=str(page.pk)).order_by("-created_at").first()
        return state.current_task_state if state else None


def _workflow_status(site, page) -> str:
    with schema_context(site.schema_name):
        return WorkflowState.objects.filter(object_id=str(page.pk)).order_by("-created_at").first().status


def _site_user(site, username):
    with schema_context(site.schema_name):
        return User.objects.filter(username=username).first()


def _submit(cluster, clerk="clerk", title="城关镇开展秋季防火宣传"):
    town = cluster["township"]
    account = person(clerk, email=f"{clerk}@example.gov.cn", display_name="张文书")
    services.grant_role(account, town, "submitter", columns=["news"], by="test")
    client = logged_in(town, clerk)
    response = add_article(client, town, "news", title, action="action-submit")
    assert response.status_code == 302
    page = article_by_title(town, title)
    assert page is not None and not page.live
    return client, page


def _decide_url(site, kind, item_id, action):
    return reverse("review_decide", args=(site.slug, kind, item_id, action))


def test_a_county_editor_reviews_its_townships_without_a_role_there(cluster):
    town, county = cluster["township"], cluster["county_a"]
    account = editor("qs-reviewer", county)

    user = _site_user(town, "qs-reviewer")
    assert user is not None and user.is_active
    with schema_context(town.schema_name):
        assert list(user.groups.values_list("name", flat=True)) == [chain.REVIEWER_GROUP]
        assert not user.has_perm("wagtailcore.add_page") and not user.is_superuser
    assert not SiteRole.objects.filter(account=account, site=town).exists()
    assert town in chain.reviewed_sites(account)
    assert AuditEvent.objects.filter(
        action="role_grant", site=town, object_repr__contains="qs-reviewer", details__role="reviewer"
    ).exists()


def test_clerk_submits_county_editor_approves_from_the_queue_and_it_is_live_on_the_township(cluster):
    town, county = cluster["township"], cluster["county_a"]
    editor("qs-editor", county)
    _clerk, page = _submit(cluster)
    mail.outbox.clear()

    reviewer = logged_in(county, "qs-editor")
    html = reviewer.get(reverse("review_queue")).content.decode()
    for expected in ("城关镇开展秋季防火宣传", town.name, "工作动态", "张文书"):
        assert expected in html
    task_state = _task_state(town, page)
    response = reviewer.post(_decide_url(town, "page", task_state.pk, "approve"), {"comment": ""})
    assert response.status_code == 302
    assert "已审核通过" in reviewer.get(response["Location"]).content.decode()

    assert article_by_title(town, "城关镇开展秋季防火宣传").live
    public = client_for(town).get(article_by_title(town, "城关镇开展秋季防火宣传").url_path.replace("/home", "", 1))
    assert public.status_code == 200 and "城关镇开展秋季防火宣传" in public.content.decode()
    assert AuditEvent.objects.filter(action="approve", actor_username="qs-editor", site=town).exists()
    assert AuditEvent.objects.filter(action="publish", actor_username="qs-editor", site=town).exists()
    assert any("clerk@example.gov.cn" in message.to for message in mail.outbox)
    assert "城关镇开展秋季防火宣传" not in reviewer.get(reverse("review_queue")).content.decode()


def test_county_editor_approves_in_the_townships_own_admin(cluster):
    town, county = cluster["township"], cluster["county_a"]
    editor("qs-editor2", county)
    _clerk, page = _submit(cluster, title="城关镇通报道路施工")
    task_state = _task_state(town, page)

    in_town = logged_in(town, "qs-editor2")
    assert in_town.get(reverse("wagtailadmin_pages:edit", args=(page.pk,))).status_code == 200
    url = reverse("wagtailadmin_pages:workflow_action", args=(page.pk, "approve", task_state.pk))
    in_town.post(url, {"comment": "同意"})
    assert article_by_title(town, "城关镇通报道路施工").live
    # a reviewer is not an editor there: no settings, no users, no new pages
    assert in_town.get(reverse("wagtailusers_users:index")).status_code in (302, 403)
    add = reverse("wagtailadmin_pages:add", args=("content", "articlepage", page.get_parent().pk))
    assert in_town.get(add).status_code in (302, 403)


def test_an_editor_of_another_county_can_neither_see_nor_approve(cluster):
    town, other = cluster["township"], cluster["county_b"]
    editor("bs-editor", other)
    _clerk, page = _submit(cluster, title="只能由青山县审核")
    task_state = _task_state(town, page)

    intruder = logged_in(other, "bs-editor")
    assert "只能由青山县审核" not in intruder.get(reverse("review_queue")).content.decode()
    for action in ("approve", "reject"):
        response = intruder.post(_decide_url(town, "page", task_state.pk, action), {"comment": "x"})
        assert response.status_code == 403 and "您不负责审核该站点的信息" in response.content.decode()
    _client, response = login(town, "bs-editor")
    assert response.status_code == 200  # no user on the township: the login is refused
    assert _task_state(town, page).status == "in_progress"
    assert not article_by_title(town, "只能由青山县审核").live


def test_the_clerk_still_cannot_publish_or_approve_their_own_submission(cluster):
    town = cluster["township"]
    editor("qs-editor3", cluster["county_a"])
    clerk, page = _submit(cluster, title="报送员自己批准")
    task_state = _task_state(town, page)

    assert clerk.post(_decide_url(town, "page", task_state.pk, "approve")).status_code == 403
    url = reverse("wagtailadmin_pages:workflow_action", args=(page.pk, "approve", task_state.pk))
    clerk.post(url, {"comment": ""})
    assert not article_by_title(town, "报送员自己批准").live
    assert _task_state(town, page).status == "in_progress"


def test_a_reject_returns_it_with_the_comment_and_the_clerk_sees_it(cluster):
    town, county = cluster["township"], cluster["county_a"]
    editor("qs-editor4", county)
    clerk, page = _submit(cluster, title="需要补充来源的稿件")
    task_state = _task_state(town, page)
    reviewer = logged_in(county, "qs-editor4")

    # a reject without a comment is refused with a clear message, nothing changes
    response = reviewer.post(_decide_url(town, "page", task_state.pk, "reject"), {"comment": "  "}, follow=True)
    assert "退回修改时请填写修改意见" in response.content.decode()
    assert _task_state(town, page).status == "in_progress"

    reviewer.post(_decide_url(town, "page", task_state.pk, "reject"), {"comment": "请补充信息来源"})
    assert _workflow_status(town, page) == WorkflowState.STATUS_NEEDS_CHANGES
    assert not article_by_title(town, "需要补充来源的稿件").live
    dashboard = clerk.get(reverse("wagtailadmin_home")).content.decode()
    assert "我的报送" in dashboard and "请补充信息来源" in dashboard and "已退回修改" in dashboard
    assert AuditEvent.objects.filter(action="reject", actor_username="qs-editor4", site=town).exists()
    # deciding twice is a clear message, not an error page
    again = reviewer.post(_decide_url(town, "page", task_state.pk, "approve"), follow=True)
    assert again.status_code == 200 and "该报送已被处理" in again.content.decode()


def test_revoking_the_county_role_ends_the_review_right_and_its_sessions(cluster):
    town, county = cluster["township"], cluster["county_a"]
    account = editor("qs-leaving", county)
    in_town = logged_in(town, "qs-leaving")
    assert in_town.get("/admin/").status_code == 200

    services.revoke_role(account, county, by="test")
    response = in_town.get("/admin/")
    assert response.status_code == 302 and reverse("wagtailadmin_login") in response["Location"]
    assert not _site_user(town, "qs-leaving").is_active
    assert chain.reviewed_sites(account) == []
    assert AuditEvent.objects.filter(action="role_revoke", site=town, details__role="reviewer").exists()


def test_a_reviewer_who_also_holds_a_role_on_the_township_keeps_it(cluster):
    town, county = cluster["township"], cluster["county_a"]
    account = editor("qs-both", county)
    services.grant_role(account, town, "submitter", columns=["news"], by="test")
    with schema_context(town.schema_name):
        names = set(_site_user(town, "qs-both").groups.values_list("name", flat=True))
    assert chain.REVIEWER_GROUP in names and len(names) == 2

    services.revoke_role(account, county, by="test")
    user = _site_user(town, "qs-both")
    with schema_context(town.schema_name):
        assert user.is_active and chain.REVIEWER_GROUP not in set(user.groups.values_list("name", flat=True))


def test_operators_choose_who_reviews_per_site(cluster):
    town, county, city, department = (cluster[k] for k in ("township", "county_a", "city", "department"))
    county_editor = editor("qs-chooser", county)
    city_editor = editor("city-chooser", city)
    assert town in chain.reviewed_sites(county_editor)
    assert department not in chain.reviewed_sites(city_editor)  # departments review themselves by default

    town.review_by = "own"
    town.save()
    assert town not in chain.reviewed_sites(county_editor)
    assert not _site_user(town, "qs-chooser").is_active

    department.review_by = "parent"
    department.save()
    assert department in chain.reviewed_sites(city_editor)
    assert _site_user(department, "city-chooser").is_active

    # re-parenting the township under the other county moves its reviewers with it
    town.review_by = "parent"
    town.parent = cluster["county_b"]
    town.save()
    other = editor("bs-chooser", cluster["county_b"])
    assert town in chain.reviewed_sites(other) and town not in chain.reviewed_sites(county_editor)
    assert _site_user(town, "bs-chooser").is_active and not _site_user(town, "qs-chooser").is_active


def test_the_queue_lists_library_submissions_of_townships(cluster):
    town, county = cluster["township"], cluster["county_a"]
    editor("qs-lib", county)
    editor("bs-lib", cluster["county_b"])
    editor("town-lib-clerk", town)  # township staff contribute to the library as the township's editors
    connection.set_schema_to_public()
    clerk = Actor(username="town-lib-clerk", site=town, role=EDITOR)
    resource = library.create_resource(by=clerk, site=town, title="城关镇惠民政策清单", kind="notice", publish=True)
    assert resource.status == ResourceStatus.PENDING_REVIEW

    reviewer = logged_in(county, "qs-lib")
    assert "城关镇惠民政策清单" in reviewer.get(reverse("review_queue")).content.decode()
    intruder = logged_in(cluster["county_b"], "bs-lib")
    assert intruder.post(_decide_url(town, "library", resource.pk, "approve")).status_code == 403

    reviewer.post(_decide_url(town, "library", resource.pk, "reject"), {"comment": "请补充文号"})
    resource.refresh_from_db()
    assert resource.status == ResourceStatus.DRAFT
    assert AuditEvent.objects.filter(action="library_reject", details__comment="请补充文号").exists()
    library.submit_for_review(resource, by=clerk, site=town)
    reviewer.post(_decide_url(town, "library", resource.pk, "approve"))
    resource.refresh_from_db()
    assert resource.status == ResourceStatus.PUBLISHED


def test_the_queue_costs_one_query_per_reviewed_site(cluster):
    editor("qs-perf", cluster["county_a"])
    for n in range(3):
        _submit(cluster, clerk=f"perf-clerk-{n}", title=f"性能测试稿件{n}")
    account = services.find_account("qs-perf")
    sites = chain.reviewed_sites(account)
    with CaptureQueriesContext(connection) as queries:
        items = review_queue(account)
    assert len([item for item in items if item.title.startswith("性能测试稿件")]) == 3
    # reviewed sites + one per site schema + library; schema switches are SET search_path, not queries on rows
    selects = [q for q in queries.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]
    assert len(selects) <= len(sites) + 3, [q["sql"][:120] for q in selects]


def test_working_days_follow_chinas_holidays_and_make_up_days():
    friday = datetime.date(2026, 9, 18)
    # Sunday 2026-09-20 is a make-up working day (调休) before National Day
    assert workdays.is_working_day(datetime.date(2026, 9, 20))
    assert not workdays.is_working_day(datetime.date(2026, 9, 19))
    assert workdays.working_days_between(friday, datetime.date(2026, 9, 21)) == 2
    assert not workdays.is_overdue(friday, datetime.date(2026, 9, 21))
    assert workdays.is_overdue(friday, datetime.date(2026, 9, 22))
    # National Day: 10-01..10-07 off, Saturday 10-10 a make-up working day
    eve = datetime.date(2026, 9, 30)
    assert workdays.working_days_between(eve, datetime.date(2026, 10, 7)) == 0
    assert not workdays.is_overdue(eve, datetime.date(2026, 10, 9))
    assert workdays.is_overdue(eve, datetime.date(2026, 10, 10))


def test_the_queue_marks_overdue_submissions(cluster, settings):
    settings.ZQ_REVIEW_OVERDUE_WORKING_DAYS = 2
    editor("qs-overdue", cluster["county_a"])
    _clerk, page = _submit(cluster, title="国庆前报送的稿件")
    town = cluster["township"]
    with schema_context(town.schema_name):
        eve = datetime.datetime(2026, 9, 30, 16, 0, tzinfo=datetime.UTC)
        WorkflowState.objects.filter(object_id=str(page.pk)).update(created_at=eve)
    account = services.find_account("qs-overdue")

    def item(today):
        return next(i for i in review_queue(account, today=today) if i.title == "国庆前报送的稿件")

    assert not item(datetime.date(2026, 10, 9)).overdue
    assert item(datetime.date(2026, 10, 10)).overdue and item(datetime.date(2026, 10, 10)).working_days == 3

