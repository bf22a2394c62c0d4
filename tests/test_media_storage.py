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


def test_local_names_paths_urls_listings_and_deletes_agree_with_one_prefix(cluster, tmp_path):
    a, b = cluster["county_a"], cluster["county_b"]
    with override_settings(MEDIA_ROOT=str(tmp_path), MEDIA_URL="/media/"):
        storage = storages.create_storage({"BACKEND": "tenants.storage.TenantFileSystemStorage"})
        with schema_context(a.schema_name):
            name = storage.save("original_images/logo.png", ContentFile(b"A"))
            assert name == "original_images/logo.png"  # the prefix is the storage's business, not the name's
            assert storage.path(name) == str(tmp_path / a.schema_name / "original_images/logo.png")
            assert storage.url(name) == f"/media/{a.schema_name}/original_images/logo.png"
            assert storage.exists(name) and storage.open(name).read() == b"A"
            assert storage.listdir("original_images") == ([], ["logo.png"])
            second = storage.save("original_images/logo.png", ContentFile(b"A2"))
            assert second != name and second.startswith("original_images/logo_")
        with schema_context(b.schema_name):
            assert storage.save("original_images/logo.png", ContentFile(b"B")) == "original_images/logo.png"
            assert not storage.exists(second)
        with schema_context(a.schema_name):
            storage.delete(name)
            assert not storage.exists(name)
    assert not (tmp_path / a.schema_name / "original_images/logo.png").exists()
    assert (tmp_path / b.schema_name / "original_images/logo.png").read_bytes() == b"B"
    nested = [path.relative_to(tmp_path).parts[1:] for path in tmp_path.rglob("*")]
    assert not any(a.schema_name in parts for parts in nested)  # never <schema>/<schema>/…


def test_a_file_delete_queued_in_a_site_runs_in_that_site_even_from_a_worker(cluster, tmp_path):
    """Wagtail queues file deletes as tasks carrying the deconstructed storage; a worker has no tenant."""
    from wagtail.tasks import delete_file_from_storage_task

    a, b = cluster["county_a"], cluster["county_b"]
    with override_settings(MEDIA_ROOT=str(tmp_path)):
        storage = storages.create_storage({"BACKEND": "tenants.storage.TenantFileSystemStorage"})
        with schema_context(b.schema_name):
            storage.save("documents/report.pdf", ContentFile(b"B"))
        with schema_context(a.schema_name):
            name = storage.save("documents/report.pdf", ContentFile(b"A"))
            queued = storage.deconstruct()
        delete_file_from_storage_task.call(queued, name)  # run where a worker runs: the public schema
    assert not (tmp_path / a.schema_name / "documents/report.pdf").exists()
    assert (tmp_path / b.schema_name / "documents/report.pdf").read_bytes() == b"B"


def test_a_same_named_upload_in_one_site_never_replaces_the_first_in_s3(cluster, s3_server):
    a = cluster["county_a"]
    with override_settings(**s3_server.django_settings()):
        storage = storages.create_storage({"BACKEND": "tenants.storage.TenantS3Storage"})
        with schema_context(a.schema_name):
            first = storage.save("documents/same.pdf", ContentFile(b"first"))
            second = storage.save("documents/same.pdf", ContentFile(b"second"))
            assert first != second
            assert storage.open(first).read() == b"first" and storage.open(second).read() == b"second"
            queued = storage.deconstruct()
        from wagtail.tasks import delete_file_from_storage_task

        delete_file_from_storage_task.call(queued, first)
        with schema_context(a.schema_name):
            assert not storage.exists(first) and storage.exists(second)


def test_library_files_are_stored_and_named_once_under_library(cluster, tmp_path):
    from shared_library.storage import library_storage

    with override_settings(MEDIA_ROOT=str(tmp_path)):
        storage = library_storage()
        with schema_context(cluster["county_a"].schema_name):
            name = storage.save("attachments/2026/11/要点.pdf", ContentFile(b"%PDF-1.4"))
        assert name == "attachments/2026/11/要点.pdf"
        assert storage.exists(name) and storage.path(name) == str(tmp_path / "library" / name)
        storage.delete(name)
        assert not storage.exists(name) and not (tmp_path / "library" / name).exists()
