"""S3 unavailable (issue #20): pages still render, an upload fails with a clear Chinese error (never a
500, nothing half saved), and once S3 is back the same upload works.

The outage is the media endpoint refusing connections, exactly what a stopped S3 server looks like to
the app (the session's real SeaweedFS server stays up for the other tests: the app is pointed at a
port nobody listens on, then back)."""

from __future__ import annotations

from django.db import connection
from django.test import override_settings
from django_tenants.utils import schema_context
from wagtail.documents.models import Document

from shared_library import services
from shared_library.models import Attachment
from tests import samples
from tests.files import S3Media, s3_settings, site_admin
from tests.helpers import client_for
from tests.servers import free_port

UNAVAILABLE = "文件存储暂时无法访问"


def pdf(name: str):
    return samples.upload(name, samples.PDF)


def _down(server) -> dict:
    return {**s3_settings(server), "AWS_S3_ENDPOINT_URL": f"http://127.0.0.1:{free_port()}"}


def test_while_s3_is_down_pages_render_and_uploads_fail_clearly_then_work_again(cluster, s3_server):
    site = cluster["county_a"]
    admin = site_admin(site)
    visitor = client_for(site)
    with override_settings(**s3_settings(s3_server)):
        response = admin.post("/admin/documents/add/", {"title": "停电前", "file": pdf("停电前.pdf")})
        assert response.status_code == 302
    resource = services.create_resource(by="t", site=site, publish=True, kind="notice", title="停机演练通知")
    connection.set_schema_to_public()

    with override_settings(**_down(s3_server)):
        assert visitor.get("/").status_code == 200  # the public site renders
        listing = admin.get("/admin/documents/")
        assert listing.status_code == 200 and "停电前" in listing.content.decode()
        for url, data in (
            ("/admin/documents/add/", {"title": "停电中", "file": pdf("停电中.pdf")}),
            (f"/admin/library/resources/attach/{resource.pk}/", {"title": "", "file": pdf("附件.pdf")}),
        ):
            response = admin.post(url, data)
            body = response.content.decode()
            assert response.status_code == 503, (url, response.status_code)
            assert UNAVAILABLE in body and "Traceback" not in body, url
            assert response["Retry-After"] == "30"
        background = admin.post(  # the admin's background (XHR) uploads get the message as JSON
            "/admin/documents/add/",
            {"title": "停电中", "file": pdf("停电中.pdf")},
            HTTP_X_REQUESTED_WITH="XMLHttpRequest",
        )
        assert background.status_code == 503 and UNAVAILABLE in background.json()["error_message"]
        connection.set_schema_to_public()
        assert not Attachment.objects.filter(resource=resource).exists()  # nothing half saved
        with schema_context(site.schema_name):
            assert not Document.objects.filter(title="停电中").exists()

    with override_settings(**s3_settings(s3_server)):  # S3 is back
        response = admin.post("/admin/documents/add/", {"title": "恢复后", "file": pdf("恢复后.pdf")})
        assert response.status_code == 302
        with schema_context(site.schema_name):
            document = Document.objects.get(title="恢复后")
        assert S3Media(s3_server).exists(f"{site.schema_name}/{document.file.name}")
        connection.set_schema_to_public()
        response = admin.post(f"/admin/library/resources/attach/{resource.pk}/", {"title": "", "file": pdf("附件.pdf")})
        assert response.status_code == 302
        assert Attachment.objects.filter(resource=resource).count() == 1
