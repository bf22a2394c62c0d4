"""The real task queue: Wagtail's own tasks and ours are stored in PostgreSQL (django-tasks-db) with
the schema of the site that queued them, and a separate worker process runs each one in that site.

The worker is another process, so these tests commit (the ``committed`` fixture undoes what they
made) and run ``manage.py db_worker --batch`` as production runs ``db_worker``."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult
from django_tenants.utils import schema_context
from wagtail.images import get_image_model
from wagtail.models import ReferenceIndex

from jobs.models import TaskSite
from jobs.worker import retry_delay
from tenants.content.models import ArticlePage
from tenants.models import Site
from tests.closure_scenario import png
from tests.helpers import publish_article
from tests.queue_tasks import note_schema_and_fail
from tests.servers import task_workers_paused
from tests.worker_process import REAL_QUEUE, run_worker_batch


@pytest.fixture
def committed(django_db_setup, django_db_blocker, settings, tmp_path):
    """Real commits on the real queue; images and articles made are removed, queue rows emptied."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.TASKS = REAL_QUEUE
    made: list[tuple[str, object]] = []
    with task_workers_paused(), django_db_blocker.unblock():
        connection.set_schema_to_public()
        DBTaskResult.objects.all().delete()
        try:
            yield made
        finally:
            for schema, obj in reversed(made):
                with schema_context(schema):
                    type(obj).objects.filter(pk=obj.pk).delete()
            connection.set_schema_to_public()
            DBTaskResult.objects.all().delete()


def sites() -> tuple[Site, Site]:
    return Site.objects.get(slug="t-county-a"), Site.objects.get(slug="t-county-b")


def save_image(site: Site, made: list) -> object:
    with schema_context(site.schema_name):
        image = get_image_model()(title="同名图片")
        image.file.save("同名.png", png(), save=False)
        image.save()
    made.append((site.schema_name, image))
    return image


def test_a_task_queued_inside_a_site_records_that_sites_schema(cluster, settings, tmp_path):
    settings.TASKS = REAL_QUEUE
    with schema_context(cluster["township"].schema_name):
        result = note_schema_and_fail.enqueue(str(tmp_path / "log"), 0)
    public = note_schema_and_fail.enqueue(str(tmp_path / "log"), 0)
    assert TaskSite.objects.get(result_id=result.id).schema_name == cluster["township"].schema_name
    assert TaskSite.objects.get(result_id=public.id).schema_name == "public"
    assert DBTaskResult.objects.get(pk=result.id).status == "READY" and not (tmp_path / "log").exists()


def test_deleting_an_image_on_site_a_removes_a_file_only_on_a_through_the_worker(committed, tmp_path):
    site_a, site_b = sites()
    image_a, image_b = save_image(site_a, committed), save_image(site_b, committed)
    assert image_a.file.name == image_b.file.name  # the same name in both sites
    file_a = tmp_path / "media" / site_a.schema_name / image_a.file.name
    file_b = tmp_path / "media" / site_b.schema_name / image_b.file.name
    assert file_a.exists() and file_b.exists()
    DBTaskResult.objects.all().delete()  # only the delete's tasks from here on

    with schema_context(site_a.schema_name):
        get_image_model().objects.filter(pk=image_a.pk).delete()
    connection.set_schema_to_public()
    queued = DBTaskResult.objects.filter(task_path="wagtail.tasks.delete_file_from_storage_task")
    assert [row.status for row in queued] == ["READY"]  # queued, not run in the request
    assert TaskSite.objects.get(result=queued[0]).schema_name == site_a.schema_name
    assert file_a.exists()

    run_worker_batch(tmp_path / "media")

    assert DBTaskResult.objects.get(pk=queued[0].pk).status == "SUCCESSFUL"
    assert not file_a.exists()
    assert file_b.exists() and file_b.read_bytes() == png().read()


def test_a_reference_index_update_lands_in_the_site_that_queued_it(committed, tmp_path):
    site_a, site_b = sites()
    image = save_image(site_a, committed)
    body = f'<p>配图</p><embed embedtype="image" id="{image.pk}" format="fullwidth" alt="配图"/>'
    article = publish_article(site_a, "news", "带图片的文章", body=body, slug="with-image")
    committed.append((site_a.schema_name, article))
    connection.set_schema_to_public()
    index_tasks = DBTaskResult.objects.filter(task_path="wagtail.tasks.update_reference_index_task")
    assert index_tasks.exists() and not index_tasks.exclude(status="READY").exists()
    assert set(TaskSite.objects.filter(result__in=index_tasks).values_list("schema_name", flat=True)) == {
        site_a.schema_name
    }
    with schema_context(site_a.schema_name):
        assert not ReferenceIndex.get_references_for_object(article.specific).exists()
    with schema_context(site_b.schema_name):
        b_rows_before = ReferenceIndex.objects.count()

    run_worker_batch(tmp_path / "media")

    assert set(index_tasks.values_list("status", flat=True)) == {"SUCCESSFUL"}
    with schema_context(site_a.schema_name):
        article = ArticlePage.objects.get(pk=article.pk)
        references = ReferenceIndex.get_references_for_object(article)
        targets = {(ref.to_content_type.model, ref.to_object_id) for ref in references}
        assert ("image", str(image.pk)) in targets
    with schema_context(site_b.schema_name):
        assert ReferenceIndex.objects.count() == b_rows_before


def test_a_failing_task_is_retried_in_its_site_then_succeeds_and_one_that_keeps_failing_stays_failed(
    committed, tmp_path, settings
):
    site_a, _ = sites()
    settings.ZQ_TASK_MAX_ATTEMPTS = 3
    flaky_log, broken_log = tmp_path / "flaky.log", tmp_path / "broken.log"
    with schema_context(site_a.schema_name):
        flaky = note_schema_and_fail.enqueue(str(flaky_log), 1)
        broken = note_schema_and_fail.enqueue(str(broken_log), 99)
    connection.set_schema_to_public()

    run_worker_batch(tmp_path / "media", ZQ_TASK_RETRY_SECONDS="0")

    flaky_row, broken_row = DBTaskResult.objects.get(pk=flaky.id), DBTaskResult.objects.get(pk=broken.id)
    assert flaky_row.status == "SUCCESSFUL" and len(flaky_row.worker_ids) == 2
    assert flaky_row.return_value == site_a.schema_name
    assert flaky_log.read_text().splitlines() == [site_a.schema_name] * 2
    assert broken_row.status == "FAILED" and len(broken_row.worker_ids) == 3
    assert "第 3 次尝试失败" in TaskSite.objects.get(result=broken_row).last_error
    assert "RuntimeError" in broken_row.exception_class_path


def test_retries_back_off_exponentially_up_to_an_hour(settings):
    settings.ZQ_TASK_RETRY_SECONDS = 10
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [10, 20, 40, 80]
    assert retry_delay(30) == datetime.timedelta(hours=1)
