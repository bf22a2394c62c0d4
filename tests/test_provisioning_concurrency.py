"""Provisioning during and right after a deploy works or waits, never fails.

A deploy that adds a tenant migration changes the migration hash: the first provisioner after it
(or during ``setup_platform``) finds the template stale. These tests fake that new hash, as
``test_provisioning`` does, and use real concurrency: threads, each with its own database connection.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django_tenants.utils import schema_exists

from tenants import schema_template
from tenants.lib.pg import LockWaitTimeout, advisory_lock
from tenants.models import Domain, SchemaTemplate, Site, SpareSchema
from tenants.pool import fill_pool
from tenants.provisioning import SiteSpec, provision_site
from tenants.schema_template import replay_template


def run_together(count: int, work: Callable[[int], Any]) -> list[Any]:
    """Run ``work(i)`` in ``count`` threads released at the same instant; return results or exceptions.

    Each thread has its own database connection, so what it does is really committed (the test's own
    connection stays in pytest-django's rolled-back transaction)."""
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count

    def target(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = work(index)
        except BaseException as exc:  # noqa: BLE001 - reported to the test
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    return results


def committed(work: Callable[[], Any]) -> Any:
    """Run ``work`` on a connection of its own and commit; re-raise what it raised."""
    (result,) = run_together(1, lambda _i: work())
    if isinstance(result, BaseException):
        raise result
    return result


def drop_sites(slugs: list[str]) -> None:
    def work() -> None:
        for site in Site.objects.filter(slug__in=slugs):
            Domain.objects.filter(tenant=site).delete()
            site.delete(force_drop=True)

    committed(work)


@pytest.fixture
def new_migration_deployed(db, monkeypatch):
    """The code now carries a tenant migration the database's template was not built with.

    Afterwards the real template is put back as it was (its saved dump replayed: no rebuild needed)."""
    real = schema_template.ensure_template()
    fake_hash = uuid.uuid4().hex * 2
    monkeypatch.setattr(schema_template, "migration_state_hash", lambda: fake_hash)
    yield fake_hash
    monkeypatch.undo()
    connection.set_schema_to_public()
    committed(lambda: restore_template(real))


def restore_template(real: SchemaTemplate) -> None:
    for other in SchemaTemplate.objects.exclude(state_hash=real.state_hash):
        with connection.cursor() as cursor:
            cursor.execute(f'DROP SCHEMA IF EXISTS "{other.schema_name}" CASCADE')
        other.delete()
    if not SchemaTemplate.objects.filter(state_hash=real.state_hash).exists():
        replay_template(real, real.schema_name)
        real.save(force_insert=True)
    fill_pool(real, 0)  # drops the fake deploy's spares


def count_dumps(monkeypatch) -> list[str]:
    dumps: list[str] = []
    real = schema_template.dump_schema

    def counting(schema_name: str) -> str:
        dumps.append(schema_name)
        return real(schema_name)

    monkeypatch.setattr(schema_template, "dump_schema", counting)
    return dumps


def test_a_bulk_run_right_after_a_deploy_creates_every_row_without_setup_platform(
    new_migration_deployed, tmp_path, capsys
):
    csv_file = tmp_path / "sites.csv"
    csv_file.write_text(
        "name,slug,kind,parent_slug\n部署后一镇,deploy-one,township,t-county-a\n部署后二镇,deploy-two,township,t-county-a\n",
        encoding="utf-8",
    )
    call_command("create_sites", str(csv_file))  # in the test's transaction: its sites are rolled back
    assert "共创建 2 个站点" in capsys.readouterr().out
    template = SchemaTemplate.objects.get(state_hash=new_migration_deployed)
    assert schema_exists(template.schema_name)
    assert not SchemaTemplate.objects.exclude(state_hash=new_migration_deployed).exists()  # stale one is gone


def test_provisioning_and_template_builds_at_once_during_a_deploy_all_succeed_with_one_build(
    new_migration_deployed, monkeypatch
):
    """Three provisioners and a deploy's ``prepare_template`` start together after a migration landed."""
    old = SchemaTemplate.objects.get()  # built for the code before the deploy
    dumps = count_dumps(monkeypatch)
    slugs = [f"during-deploy-{i}" for i in range(3)]

    def work(index: int):
        if index == 3:
            return schema_template.ensure_template()
        return provision_site(SiteSpec(name=f"部署中{index}号县", slug=slugs[index], kind="county"))

    try:
        results = run_together(4, work)
    finally:
        drop_sites(slugs)
    failures = [r for r in results if isinstance(r, BaseException)]
    assert not failures, failures
    assert len(dumps) == 1  # one builder; the others waited for it and reused its template
    template = SchemaTemplate.objects.get()
    assert template.state_hash == new_migration_deployed and results[3].pk == template.pk
    assert schema_template.PLACEHOLDER in template.sql and "CREATE TABLE" in template.sql
    assert [r.method for r in results[:3]] == ["template"] * 3
    assert all(r.site.schema_name == f"site_{slug.replace('-', '_')}" for r, slug in zip(results, slugs, strict=False))
    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'zq_template_%%'")
        assert [row[0] for row in cursor.fetchall()] == [template.schema_name]
    # a refill still running for the replaced template adds nothing: its spares could never be claimed
    assert committed(lambda: fill_pool(old, 3)) == 0
    assert not SpareSchema.objects.filter(state_hash=old.state_hash).exists()


def test_two_pool_refills_at_once_fill_the_pool_exactly(db):
    template = schema_template.ensure_template()
    before = set(SpareSchema.objects.values_list("schema_name", flat=True))
    target = len(before) + 2
    try:
        results = run_together(2, lambda _i: fill_pool(template, target))
        failures = [r for r in results if isinstance(r, BaseException)]
        assert not failures, failures
        assert sorted(results) == [0, 2]
        assert SpareSchema.objects.filter(state_hash=template.state_hash).count() == target
    finally:
        committed(lambda: drop_spares(exclude=before))


def drop_spares(exclude: set[str]) -> None:
    for name in SpareSchema.objects.exclude(schema_name__in=exclude).values_list("schema_name", flat=True):
        with connection.cursor() as cursor:
            cursor.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
    SpareSchema.objects.exclude(schema_name__in=exclude).delete()


def test_a_waiter_gives_up_with_a_clear_message_only_after_its_time_runs_out(db):
    holding, release = threading.Event(), threading.Event()

    def hold(_index: int) -> None:
        with advisory_lock(schema_template.MAINTENANCE_LOCK):
            holding.set()
            release.wait(timeout=30)

    holder = threading.Thread(target=run_together, args=(1, hold))
    holder.start()
    try:
        assert holding.wait(timeout=30)
        waited: list[str] = []
        with pytest.raises(LockWaitTimeout, match="构建站点模板或补充预建池.*已超过 1 秒"):
            with advisory_lock(
                schema_template.MAINTENANCE_LOCK, what=schema_template.MAINTENANCE_WORK,
                on_wait=lambda: waited.append("waiting"), timeout=1,
            ):  # fmt: skip
                pass
        assert waited == ["waiting"]
    finally:
        release.set()
        holder.join(timeout=30)
    with advisory_lock(schema_template.MAINTENANCE_LOCK, timeout=5):  # free again once the holder is done
        pass
