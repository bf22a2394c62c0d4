"""Archive and restore (关停上移 step 7): X's schema is dumped to storage (a local folder or S3),
checked, dropped; its old URLs keep redirecting; the archive can be restored as a new site.

pg_dump runs in its own connection, so these tests commit their data (they create their own
county and township and remove them afterwards, leaving the session cluster as it was)."""

from __future__ import annotations

import gzip
import hashlib
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django_tenants.utils import schema_context, schema_exists

from audit.models import AuditEvent
from tenants.closure.archive import archive, archive_storage, restore
from tenants.closure.models import Closure, ClosureStatus
from tenants.closure.verify import verify
from tenants.content.models import ArticlePage
from tenants.models import Site, SiteStatus
from tenants.provisioning import SiteSpec, provision_site
from tests.closure_ops import ARTICLES, close_by_hand, remove_sites, township
from tests.helpers import client_for, publish_article

MULTILINE_BODY = "<p>第一行\nSET 全镇安全生产目标\n\\附注：以上为草案</p>"


@pytest.fixture
def committed(django_db_setup, django_db_blocker, settings, tmp_path):
    """Real commits; every site appended is removed afterwards (with its closures and schema)."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    made: list[Site] = []
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        try:
            yield made
        finally:
            remove_sites(*reversed(made))


def archive_storage_settings(kind: str, request, tmp_path) -> dict:
    if kind == "local":
        return {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "archives"), "base_url": None},
        }
    s3 = request.getfixturevalue("s3_server")
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": s3.bucket, "endpoint_url": s3.endpoint, "access_key": s3.access_key,
            "secret_key": s3.secret_key, "region_name": "us-east-1", "addressing_style": "path",
            "location": "closure-archives", "default_acl": None, "file_overwrite": False,
        },
    }  # fmt: skip


def completed_closure(committed, slug: str):
    county = provision_site(
        SiteSpec(name="测试县人民政府", slug=f"{slug}-county", kind="county", parent_slug="t-city")
    ).site
    committed.append(county)
    town = township(slug, county)
    committed.append(town)
    closed = close_by_hand(town, county)
    assert verify(closed.closure, by="operator")["failed"] == 0
    closed.closure.refresh_from_db()
    assert closed.closure.status == ClosureStatus.COMPLETED
    return closed


@pytest.mark.parametrize("storage_kind", ["local", "s3"])
def test_archive_drops_the_schema_keeps_the_redirects_and_restores_as_a_new_site(
    committed, settings, tmp_path, request, storage_kind
):
    settings.STORAGES = {
        **settings.STORAGES,
        "closure_archives": archive_storage_settings(storage_kind, request, tmp_path),
    }
    closed = completed_closure(committed, f"arch-{storage_kind}")
    town, schema = closed.site, closed.site.schema_name

    multiline = publish_article(town, "news", "多行正文", slug="multiline", body=MULTILINE_BODY)
    with pytest.raises(ValidationError, match="保留期"):
        archive(closed.closure, by="operator")
    assert schema_exists(schema)
    closure = archive(closed.closure, by="operator", force_reason="上级批准提前归档")

    assert closure.status == ClosureStatus.ARCHIVED and closure.archived_at is not None
    assert not schema_exists(schema)
    storage = archive_storage()
    with storage.open(closure.archive_key, "rb") as handle:
        packed = handle.read()
    with storage.open(f"{closure.archive_key}.json", "rb") as handle:
        manifest = json.loads(handle.read())
    assert manifest["sha256"] == hashlib.sha256(packed).hexdigest() and closure.archive_bytes == len(packed)
    assert "城关镇召开安全生产工作会议" in gzip.decompress(packed).decode()
    if storage_kind == "s3":
        s3 = request.getfixturevalue("s3_server")
        keys = {o["Key"] for o in s3.client().list_objects_v2(Bucket=s3.bucket, Prefix="closure-archives/")["Contents"]}
        assert f"closure-archives/{closure.archive_key}" in keys
    event = AuditEvent.objects.get(action="closure_archive", object_id=str(closure.pk))
    assert event.details["force_reason"] == "上级批准提前归档" and event.details["sha256"] == manifest["sha256"]

    # The old URLs still answer, on every domain, from the public schema alone.
    assert client_for(town).get("/news/安全生产会议/").status_code == 301
    assert client_for(f"{town.slug}-alias.localhost").get("/service/").status_code == 410
    with pytest.raises(ValidationError, match="已归档"):
        archive(closure, by="operator", force_reason="again")

    restored = restore(closure, by="operator", slug=f"{town.slug}-restored")
    committed.insert(2, restored)  # removed before its parent
    assert restored.status == SiteStatus.ACTIVE and restored.parent == closed.target
    assert restored.schema_name != schema and schema_exists(restored.schema_name)
    assert restored.primary_domain == f"{town.slug}-restored.localhost"
    for column, slug, title in ARTICLES:
        response = client_for(restored).get(f"/{column}/{slug}/")
        assert response.status_code == 200 and title in response.content.decode()
    with schema_context(restored.schema_name):  # a text line that looks like a psql command survives
        assert ArticlePage.objects.get(pk=multiline.pk).body == MULTILINE_BODY
    assert AuditEvent.objects.filter(action="closure_restore", site=restored).exists()
    with pytest.raises(ValidationError, match="已被使用"):
        restore(closure, by="operator", slug=f"{town.slug}-restored")


def test_a_tampered_archive_is_refused_and_deploys_skip_archived_schemas(committed, settings, tmp_path, request):
    settings.STORAGES = {**settings.STORAGES, "closure_archives": archive_storage_settings("local", request, tmp_path)}
    closed = completed_closure(committed, "arch-tamper")
    Closure.objects.filter(pk=closed.closure.pk).update(retention_days=0)
    call_command("archive_site", closed.site.slug)
    closure = Closure.objects.get(pk=closed.closure.pk)
    assert closure.status == ClosureStatus.ARCHIVED

    # setup_platform migrates every site on each deploy: the dropped schema is skipped, not a failure.
    call_command("migrate_schemas", tenant=True, interactive=False, verbosity=0)
    connection.set_schema_to_public()
    assert not schema_exists(closed.site.schema_name)

    path = tmp_path / "archives" / closure.archive_key
    path.write_bytes(path.read_bytes()[:-8] + b"tampered")
    with pytest.raises(CommandError, match="校验失败"):
        call_command("archive_site", closed.site.slug, "--restore", "--slug", "arch-tamper-restored")
    assert not Site.objects.filter(slug="arch-tamper-restored").exists()


def test_only_a_completed_closure_is_archived_and_only_an_archive_restored(cluster, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    closed = close_by_hand(township("arch-early", cluster["county_a"]), cluster["county_a"])
    with pytest.raises(ValidationError, match="验证通过并完成后才能归档"):
        archive(closed.closure, by="operator", force_reason="赶时间")
    with pytest.raises(ValidationError, match="没有归档文件"):
        restore(closed.closure, by="operator", slug="arch-early-2")
    with pytest.raises(CommandError, match="没有可执行此操作的关停任务"):
        call_command("archive_site", "arch-early")
    with pytest.raises(CommandError, match="--slug"):
        call_command("archive_site", "arch-early", "--restore")
