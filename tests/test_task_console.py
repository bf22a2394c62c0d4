"""The console's 后台任务 screen: operators see queued, retrying and failed tasks with their site,
attempts and error, and may retry a failed task or discard one (audited). Nobody else sees it."""

from __future__ import annotations

from django.db import connection
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from django_tenants.utils import schema_context

from audit.models import AuditEvent
from jobs.models import TaskSite
from tests.console_helpers import PLATFORM, operator_client
from tests.helpers import client_for
from tests.people import editor, logged_in
from tests.queue_tasks import note_schema_and_fail
from tests.worker_process import REAL_QUEUE


def queue_failed_and_waiting(cluster, settings, tmp_path) -> tuple[str, str]:
    settings.TASKS = REAL_QUEUE
    with schema_context(cluster["county_a"].schema_name):
        failed = note_schema_and_fail.enqueue(str(tmp_path / "a"), 9)
        waiting = note_schema_and_fail.enqueue(str(tmp_path / "b"), 0)
    connection.set_schema_to_public()
    error = "RuntimeError: 第 3 次尝试失败（测试）"
    DBTaskResult.objects.filter(pk=failed.id).update(
        status="FAILED", worker_ids=["w1", "w2", "w3"], traceback="Traceback…\n" + error
    )
    TaskSite.objects.filter(result_id=failed.id).update(max_attempts=3, last_error=error)
    return failed.id, waiting.id


def test_an_operator_sees_failed_tasks_with_site_and_error_and_retries_or_discards_them(cluster, settings, tmp_path):
    failed, waiting = queue_failed_and_waiting(cluster, settings, tmp_path)
    client = operator_client()
    url = reverse("console_tasks")

    page = client.get(url + "?state=failed").content.decode()
    assert "note_schema_and_fail" in page and cluster["county_a"].name in page
    assert "第 3 次尝试失败（测试）" in page and "3 / 3" in page and "重试" in page
    assert waiting not in page  # the filter shows failed tasks only
    assert waiting in client.get(url).content.decode() and "排队中" in client.get(url).content.decode()

    response = client.post(url + "?state=failed", {"action": "retry", "task": failed}, follow=True)
    assert "已重新排队" in response.content.decode()
    row = DBTaskResult.objects.get(pk=failed)
    assert row.status == "READY"
    assert TaskSite.objects.get(result_id=failed).max_attempts == 3 + settings.ZQ_TASK_MAX_ATTEMPTS
    event = AuditEvent.objects.get(action="task_retry", object_id=str(failed))
    assert event.site == cluster["county_a"] and event.actor_username == "ops-console"

    response = client.post(url, {"action": "retry", "task": waiting}, follow=True)
    assert "只有失败的任务才能重试" in response.content.decode()
    client.post(url, {"action": "discard", "task": waiting})
    assert not DBTaskResult.objects.filter(pk=waiting).exists()
    assert AuditEvent.objects.filter(action="task_discard", object_id=str(waiting)).exists()


def test_only_operators_on_the_platform_reach_the_screen(cluster):
    url = reverse("console_tasks")
    editor("tasks-editor", cluster["county_a"])
    assert logged_in(cluster["county_a"], "tasks-editor").get(url).status_code == 404  # a site's editor
    connection.set_schema_to_public()
    assert client_for(PLATFORM).get(url).status_code in {302, 403}  # not logged in
