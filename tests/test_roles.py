"""Roles per site: submitters draft and submit in their own columns only and can never publish;
editors publish and approve on their own site only; a revoked role is gone on the next request."""

from django.urls import reverse
from django_tenants.utils import schema_context
from wagtail.models import WorkflowState

from audit.models import AuditEvent
from identity import services
from identity.models import Account
from tests.helpers import client_for, publish_article
from tests.people import (
    add_article,
    article_by_title,
    article_form,
    column_id,
    editor,
    is_logged_into_admin,
    logged_in,
    submitter,
)


def _workflow_state(site, page):
    with schema_context(site.schema_name):
        return WorkflowState.objects.filter(object_id=str(page.pk)).order_by("-created_at").first()


def test_a_submitter_can_create_a_draft_in_their_column_and_submit_it_for_moderation(cluster):
    town = cluster["township"]
    submitter("xiaozhang", town, ["news"])
    client = logged_in(town, "xiaozhang")

    response = add_article(client, town, "news", "城关镇召开安全生产会议", action="action-submit")
    assert response.status_code == 302, response.content.decode()[:2000]
    page = article_by_title(town, "城关镇召开安全生产会议")
    assert page is not None and not page.live
    state = _workflow_state(town, page)
    assert state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS
    assert AuditEvent.objects.filter(action="submit", actor_username="xiaozhang", site=town).exists()


def test_a_submitter_does_not_see_a_publish_action_in_the_editor(cluster):
    town = cluster["township"]
    submitter("xiaoli", town, ["news"])
    client = logged_in(town, "xiaoli")
    add_article(client, town, "news", "草稿一篇")
    page = article_by_title(town, "草稿一篇")

    html = client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,))).content.decode()
    assert 'name="action-submit"' in html
    assert 'name="action-publish"' not in html


def test_a_submitter_cannot_publish_by_direct_post(cluster):
    town = cluster["township"]
    submitter("xiaowang", town, ["news"])
    client = logged_in(town, "xiaowang")

    add_article(client, town, "news", "想直接发布的文章", action="action-publish")
    page = article_by_title(town, "想直接发布的文章")
    assert page is None or not page.live

    add_article(client, town, "news", "先存草稿再发布")
    draft = article_by_title(town, "先存草稿再发布")
    client.post(
        reverse("wagtailadmin_pages:edit", args=(draft.pk,)),
        article_form("先存草稿再发布", action="action-publish", slug=draft.slug),
    )
    draft = article_by_title(town, "先存草稿再发布")
    assert not draft.live and draft.first_published_at is None
    assert not AuditEvent.objects.filter(action="publish", actor_username="xiaowang").exists()


def test_a_submitter_cannot_publish_through_the_admin_urls(cluster):
    town = cluster["township"]
    submitter("xiaozhao", town, ["news"])
    client = logged_in(town, "xiaozhao")
    add_article(client, town, "news", "用批量操作发布")
    page = article_by_title(town, "用批量操作发布")

    bulk = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish"))
    client.post(f"{bulk}?id={page.pk}", {})
    revision_id = page.latest_revision_id
    client.post(reverse("wagtailadmin_pages:revisions_revert", args=(page.pk, revision_id)), {})
    assert not article_by_title(town, "用批量操作发布").live


def test_a_submitter_cannot_unpublish_or_delete_a_published_page(cluster):
    town = cluster["township"]
    submitter("xiaosun", town, ["news"])
    live = publish_article(town, "news", "已发布的镇务公开")
    client = logged_in(town, "xiaosun")

    client.post(reverse("wagtailadmin_pages:delete", args=(live.pk,)), {})
    client.post(reverse("wagtailadmin_pages:unpublish", args=(live.pk,)), {})
    page = article_by_title(town, "已发布的镇务公开")
    assert page is not None and page.live


def test_a_submitter_cannot_write_in_another_column(cluster):
    town = cluster["township"]
    submitter("xiaozhou", town, ["news"])
    other = publish_article(town, "notices", "通知公告里的文章")
    client = logged_in(town, "xiaozhou")

    response = add_article(client, town, "notices", "写到别的栏目")
    assert response.status_code in (302, 403)
    assert article_by_title(town, "写到别的栏目") is None
    edit = client.get(reverse("wagtailadmin_pages:edit", args=(other.pk,)))
    assert edit.status_code in (302, 403)
    add_form = client.get(
        reverse("wagtailadmin_pages:add", args=("content", "articlepage", column_id(town, "notices")))
    )
    assert add_form.status_code in (302, 403)


def test_an_editor_approves_a_submission_and_it_goes_live(cluster):
    town = cluster["township"]
    submitter("xiaowu", town, ["news"])
    editor("zhuren", town)
    add_article(logged_in(town, "xiaowu"), town, "news", "待审核的文章", action="action-submit")
    page = article_by_title(town, "待审核的文章")
    task_state = _workflow_state(town, page).current_task_state

    editor_client = logged_in(town, "zhuren")
    url = reverse("wagtailadmin_pages:workflow_action", args=(page.pk, "approve", task_state.pk))
    response = editor_client.post(url, {"comment": "同意发布"})
    assert response.status_code in (200, 302)
    assert article_by_title(town, "待审核的文章").live
    assert AuditEvent.objects.filter(action="approve", actor_username="zhuren", site=town).exists()
    assert AuditEvent.objects.filter(action="publish", actor_username="zhuren", site=town).exists()


def test_an_editor_rejects_a_submission_and_it_stays_a_draft(cluster):
    town = cluster["township"]
    submitter("xiaoqian", town, ["news"])
    editor("zhuren2", town)
    add_article(logged_in(town, "xiaoqian"), town, "news", "需修改的文章", action="action-submit")
    page = article_by_title(town, "需修改的文章")
    task_state = _workflow_state(town, page).current_task_state

    url = reverse("wagtailadmin_pages:workflow_action", args=(page.pk, "reject", task_state.pk))
    logged_in(town, "zhuren2").post(url, {"comment": "请补充来源"})
    assert not article_by_title(town, "需修改的文章").live
    assert _workflow_state(town, page).status == WorkflowState.STATUS_NEEDS_CHANGES
    assert AuditEvent.objects.filter(action="reject", actor_username="zhuren2", site=town).exists()


def test_an_editor_of_site_a_cannot_act_on_site_b(cluster):
    a, b = cluster["county_a"], cluster["county_b"]
    editor("bianji-a", a)
    b_page = publish_article(b, "news", "白水县的文章")
    with schema_context(b.schema_name):
        b_page.save_revision()  # a pending draft an intruder might try to publish
    client_a = logged_in(a, "bianji-a")

    # On B's host, A's login does not exist: every admin URL sends them to the login page.
    client_b = client_for(b)
    client_b.cookies.update(client_a.cookies)
    for url in (
        reverse("wagtailadmin_pages:edit", args=(b_page.pk,)),
        reverse("wagtailadmin_explore", args=(b_page.pk,)),
    ):
        response = client_b.get(url)
        assert response.status_code == 302 and reverse("wagtailadmin_login") in response["Location"]
    client_b.post(reverse("wagtailadmin_pages:edit", args=(b_page.pk,)), article_form("改掉", "action-publish"))
    client_b.post(reverse("wagtailadmin_pages:delete", args=(b_page.pk,)), {})
    assert article_by_title(b, "白水县的文章").live
    assert article_by_title(b, "改掉") is None

    # On A's host the same id is looked up in A's schema only: never B's page.
    response = client_a.get(reverse("wagtailadmin_pages:edit", args=(b_page.pk,)))
    assert "白水县的文章" not in response.content.decode()


def test_role_revocation_takes_effect_on_the_very_next_request(cluster):
    town = cluster["township"]
    account = submitter("xiaoma", town, ["news"])
    client = logged_in(town, "xiaoma")
    assert is_logged_into_admin(client)

    services.revoke_role(account, town, by="test")
    response = client.get("/admin/")
    assert response.status_code == 302 and reverse("wagtailadmin_login") in response["Location"]
    assert AuditEvent.objects.filter(action="role_revoke", site=town, object_repr__contains="xiaoma").exists()


def test_changing_a_submitters_columns_replaces_their_permissions(cluster):
    town = cluster["township"]
    account = submitter("xiaohe", town, ["news"])
    services.grant_role(account, town, "submitter", columns=["notices"])
    client = logged_in(town, "xiaohe")

    add_article(client, town, "news", "旧栏目")
    add_article(client, town, "notices", "新栏目")
    assert article_by_title(town, "旧栏目") is None
    assert article_by_title(town, "新栏目") is not None
    assert list(Account.objects.get(username="xiaohe").roles.values_list("columns", flat=True)) == [["notices"]]
