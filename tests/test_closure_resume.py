"""Execute interrupted at any point resumes where it stopped, losing and duplicating nothing: a real
``kill -9`` of ``manage.py close_site X execute`` half-way, and a connection lost inside a batch."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import psycopg2
import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import OperationalError, connection
from django.test import override_settings
from django_tenants.utils import schema_context
from wagtail.documents import get_document_model
from wagtail.models import Page

from audit.models import AuditEvent
from identity.models import Account
from shared_library.models import Resource
from tenants.closure import ledger, pagecopy
from tenants.closure.execute import execute
from tenants.closure.locking import LOCK_CLASS
from tenants.closure.models import Closure, ClosureItem, ClosureStatus
from tenants.closure.notice import start_notice
from tenants.closure.plan import plan_closure
from tenants.closure.rollback import rollback
from tenants.models import Domain
from tests import closure_scenario
from tests.servers import database_url

ROOT = Path(__file__).resolve().parents[1]


def copies_under_section(scenario, closure) -> list[str]:
    """Titles of every page under the section on P (the section included)."""
    with schema_context(scenario.county.schema_name):
        section = Page.objects.filter(slug=closure.section_slug).first()
        if section is None:
            return []
        return list(Page.objects.descendant_of(section, inclusive=True).values_list("title", flat=True))


def township_titles(scenario, closure) -> Counter:
    """What a complete copy holds: every page of X but its home (which becomes the section) and the notice."""
    excluded = {int(item.target_id) for item in closure.items.filter(kind="notice", source_id="x")}
    with schema_context(scenario.town.schema_name):
        pages = Page.objects.filter(depth__gt=2).exclude(pk__in=excluded)
        return Counter(pages.values_list("title", flat=True)) + Counter([closure.section_title])


def assert_complete_without_duplicates(scenario, closure) -> None:
    closure.refresh_from_db()
    assert closure.status == ClosureStatus.REDIRECTING
    assert Counter(copies_under_section(scenario, closure)) == township_titles(scenario, closure)
    pages = ClosureItem.objects.filter(closure=closure, kind="page")
    assert pages.count() == len(copies_under_section(scenario, closure))
    assert pages.values("source_id").distinct().count() == pages.count()
    with schema_context(scenario.county.schema_name):
        names = list(get_document_model().objects.values_list("file", flat=True))
    assert sorted(names) == [f"documents/{scenario.town.slug}/通知.pdf", "documents/通知.pdf"]


@pytest.fixture
def committed_scenario(django_db_blocker, tmp_path):
    """The scenario with real commits (a subprocess must see it), removed again afterwards."""
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=str(tmp_path)):
        scenario = closure_scenario.build("kr")
        try:
            yield scenario
        finally:
            connection.set_schema_to_public()
            for closure in Closure.objects.filter(site=scenario.town):
                if closure.status != ClosureStatus.ROLLED_BACK:
                    rollback(closure, by="test", reason="测试清理")
                closure.delete()
            Resource.objects.filter(pk__in=[r.pk for r in scenario.resources.values()]).delete()
            Account.objects.filter(username__startswith="kr-").delete()
            for site in (scenario.town, scenario.county):
                Domain.objects.filter(tenant=site).delete()
                site.delete(force_drop=True)


def test_a_run_killed_half_way_resumes_without_losing_or_duplicating_anything(committed_scenario, tmp_path):
    scenario = committed_scenario
    closure = start_notice(plan_closure(scenario.town, by="test"), by="test", notice_days=0, reason="测试")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "zhanqun.settings.test",
        "DATABASE_URL": database_url(connection.settings_dict),
        "MEDIA_ROOT": str(tmp_path),
        "ZQ_CLOSURE_BATCH_SIZE": "4",
        "ZQ_CLOSURE_THROTTLE_SECONDS": "0.3",
        "PYTHONPATH": str(ROOT / "platform"),
    }
    log = open(tmp_path / "execute.log", "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [sys.executable, "manage.py", "close_site", scenario.town.slug, "execute"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and process.poll() is None:
            if ClosureItem.objects.filter(closure=closure, kind="page").count() >= 12:
                break
            time.sleep(0.05)
        assert process.poll() is None, (tmp_path / "execute.log").read_text()
        os.kill(process.pid, signal.SIGKILL)
        process.wait(30)
    finally:
        log.close()
    assert process.returncode == -signal.SIGKILL

    # Killed half-way: what the ledger says was copied is exactly what is on P.
    closure.refresh_from_db()
    assert closure.status == ClosureStatus.EXECUTING and closure.step == "pages"
    done = ClosureItem.objects.filter(closure=closure, kind="page").count()
    assert 12 <= done < sum(township_titles(scenario, closure).values())
    assert len(copies_under_section(scenario, closure)) == done
    assert 0 < closure.progress_done < closure.progress_total

    closure = execute(closure, by="test")

    assert_complete_without_duplicates(scenario, closure)
    assert AuditEvent.objects.filter(action="closure_execute", site=scenario.town, details__resumed=True).exists()
    for row in closure.urls.filter(kind="page").exclude(path__startswith="/notices/closure-notice-"):
        assert row.new_url.startswith("http://kr-county.localhost/kr-town/"), row.path


def test_a_connection_lost_inside_a_batch_rolls_that_batch_back_and_the_next_run_finishes(
    cluster, tmp_path, settings, monkeypatch
):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.ZQ_CLOSURE_BATCH_SIZE = 5
    scenario = closure_scenario.build()
    closure = start_notice(plan_closure(scenario.town, by="test"), by="test", notice_days=0, reason="测试")

    # 1. Lost while writing the document's rows: its file was already copied (an orphan on P's storage).
    real_write = ledger.write

    def lost_on_documents(closure_, kind, rows):
        if kind == "document":
            raise OperationalError("server closed the connection unexpectedly")
        return real_write(closure_, kind, rows)

    monkeypatch.setattr(ledger, "write", lost_on_documents)
    with pytest.raises(OperationalError):
        execute(closure, by="test")
    monkeypatch.undo()
    closure.refresh_from_db()
    assert closure.status == ClosureStatus.EXECUTING and "server closed the connection" in closure.last_error
    assert not ClosureItem.objects.filter(closure=closure, kind="document").exists()
    assert (tmp_path / scenario.county.schema_name / "documents" / "cl-town" / "通知.pdf").exists()

    # 2. Lost in the middle of the third batch of pages, after its rows were inserted.
    real_numchild = pagecopy.update_numchild
    calls = []

    def lost_in_third_batch(page_ids):
        calls.append(page_ids)
        if len(calls) == 3:
            raise OperationalError("terminating connection due to administrator command")
        return real_numchild(page_ids)

    monkeypatch.setattr(pagecopy, "update_numchild", lost_in_third_batch)
    with pytest.raises(OperationalError):
        execute(closure, by="test")
    monkeypatch.undo()
    assert ClosureItem.objects.filter(closure=closure, kind="page").count() == 10
    assert len(copies_under_section(scenario, closure)) == 10

    # 3. Run again: finished, every page and file once.
    closure = execute(closure, by="test")
    assert_complete_without_duplicates(scenario, closure)
    assert sorted(p.name for p in (tmp_path / scenario.county.schema_name / "documents" / "cl-town").iterdir()) == [
        "通知.pdf"
    ]


def test_a_second_process_cannot_work_on_a_closure_while_one_does(cluster):
    closure = start_notice(plan_closure(cluster["township"], by="test"), by="test", notice_days=0, reason="测试")
    other = psycopg2.connect(**connection.get_connection_params())
    try:
        with other.cursor() as cursor:  # another process is executing this closure
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", [LOCK_CLASS, closure.pk])
        with pytest.raises(ValidationError, match="正在另一进程中处理"):
            execute(closure, by="test")
        with pytest.raises(ValidationError, match="正在另一进程中处理"):
            rollback(closure, by="test", reason="测试")
    finally:
        other.close()
    closure.refresh_from_db()
    assert closure.status == ClosureStatus.NOTICE and not closure.items.exclude(kind="notice").exists()


def test_a_run_broken_off_half_way_can_be_rolled_back_completely(cluster, tmp_path, settings, monkeypatch):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.ZQ_CLOSURE_BATCH_SIZE = 5
    scenario = closure_scenario.build()
    county = scenario.county
    with schema_context(county.schema_name):
        pages_before = Page.objects.count()
    closure = start_notice(plan_closure(scenario.town, by="test"), by="test", notice_days=0, reason="测试")
    real_write = ledger.write

    def lost_in_second_page_batch(closure_, kind, rows):
        if kind == "page" and closure_.items.filter(kind="page").exists():
            raise OperationalError("server closed the connection unexpectedly")
        return real_write(closure_, kind, rows)

    monkeypatch.setattr(ledger, "write", lost_in_second_page_batch)
    with pytest.raises(OperationalError):
        execute(closure, by="test")
    monkeypatch.undo()
    assert ClosureItem.objects.filter(closure=closure, kind="page").count() == 5
    with schema_context(county.schema_name):  # what a kill -9 between a file and its row leaves behind
        get_document_model()._meta.get_field("file").storage.save("documents/cl-town/孤儿.pdf", ContentFile(b"x"))

    rollback(closure, by="test", reason="中途放弃")

    with schema_context(county.schema_name):
        assert Page.objects.count() == pages_before
        assert list(get_document_model().objects.values_list("file", flat=True)) == ["documents/通知.pdf"]
    copies = tmp_path / county.schema_name / "documents" / "cl-town"
    assert not copies.exists() or not any(copies.iterdir())
    assert (tmp_path / county.schema_name / "documents" / "通知.pdf").exists()
    scenario.town.refresh_from_db()
    assert scenario.town.status == "active" and not closure.urls.exists() and not closure.items.exists()
