"""Each site's files live under its own prefix in S3: same names never collide or cross-delete."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.test import override_settings
from django_tenants.utils import schema_context


def test_two_sites_saving_the_same_file_name_keep_separate_objects_in_s3(cluster, s3_server):
    a, b = cluster["county_a"], cluster["county_b"]
    s3_settings = s3_server.django_settings()
    s3_settings["STORAGES"] = {
        "default": {"BACKEND": "tenants.storage.TenantS3Storage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(**s3_settings):
        storage = storages.create_storage({"BACKEND": "tenants.storage.TenantS3Storage"})
        with schema_context(a.schema_name):
            name_a = storage.save("documents/report.pdf", ContentFile(b"county A report"))
            url_a = storage.url(name_a)
        with schema_context(b.schema_name):
            name_b = storage.save("documents/report.pdf", ContentFile(b"county B report"))
        keys = {obj["Key"] for obj in s3_server.client().list_objects_v2(Bucket=s3_server.bucket)["Contents"]}
        assert f"{a.schema_name}/{name_a}" in keys and f"{b.schema_name}/{name_b}" in keys
        assert f"/{a.schema_name}/documents/report.pdf" in url_a

        with schema_context(a.schema_name):
            storage.delete(name_a)
            assert not storage.exists(name_a)
        with schema_context(b.schema_name):
            assert storage.exists(name_b)
            assert storage.open(name_b).read() == b"county B report"


def test_local_files_are_kept_per_site_too(cluster, tmp_path):
    a, b = cluster["county_a"], cluster["county_b"]
    with override_settings(MEDIA_ROOT=str(tmp_path)):
        storage = storages.create_storage({"BACKEND": "tenants.storage.TenantFileSystemStorage"})
        with schema_context(a.schema_name):
            storage.save("images/logo.png", ContentFile(b"A"))
        with schema_context(b.schema_name):
            storage.save("images/logo.png", ContentFile(b"B"))
            assert storage.url("images/logo.png").endswith(f"/{b.schema_name}/images/logo.png")
    assert (tmp_path / a.schema_name / "images/logo.png").read_bytes() == b"A"
    assert (tmp_path / b.schema_name / "images/logo.png").read_bytes() == b"B"
