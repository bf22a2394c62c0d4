"""Uploads: only the file types governments publish, checked by content as well as by name, within a
size limit, and always downloaded as attachments (never rendered as active content on a site's origin)."""

from __future__ import annotations

import re
import urllib.parse

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django_tenants.utils import schema_context

from shared_library import services
from shared_library.models import Attachment
from tests import samples
from tests.files import site_admin
from tests.helpers import client_for
from zhanqun.lib.uploads import validate_upload


@pytest.mark.parametrize("name", sorted(samples.GOOD))
def test_every_type_governments_publish_is_accepted(name):
    kind = validate_upload(samples.upload(name))
    assert kind.extension == name.rsplit(".", 1)[1].lower()
    assert kind.content_type and kind.content_type != "text/html"


@pytest.mark.parametrize("name", sorted(samples.BAD))
def test_active_content_and_disguised_files_are_refused_with_a_chinese_reason(name):
    data, words = samples.BAD[name]
    with pytest.raises(ValidationError) as refused:
        validate_upload(SimpleUploadedFile(name, data, content_type="application/pdf"))
    message = " ".join(refused.value.messages)
    assert words in message, message


def test_the_size_limit_setting_is_enforced_with_a_chinese_message(settings):
    settings.ZQ_MAX_UPLOAD_MB = 1
    big = samples.PDF + b"0" * (1024 * 1024)
    with pytest.raises(ValidationError) as refused:
        validate_upload(SimpleUploadedFile("大文件.pdf", big))
    assert "1 MB" in refused.value.messages[0] and "过大" in refused.value.messages[0]
    validate_upload(SimpleUploadedFile("小文件.pdf", samples.PDF))


@pytest.fixture
def local_media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def stored_files(root) -> list:
    return [path for path in root.rglob("*") if path.is_file()]


def test_the_library_upload_screen_refuses_html_and_oversized_files_and_stores_nothing(cluster, local_media, settings):
    county = cluster["county_a"]
    resource = services.create_resource(by="t", site=county, publish=True, kind="notice", title="安全检查通知")
    client = site_admin(county)
    url = f"/admin/library/resources/attach/{resource.pk}/"
    for upload in (
        SimpleUploadedFile("page.html", samples.HTML, content_type="text/html"),
        SimpleUploadedFile("通知.pdf", samples.HTML, content_type="application/pdf"),
    ):
        response = client.post(url, {"title": "", "file": upload})
        assert response.status_code == 200
        assert "不支持" in response.content.decode() or "不符" in response.content.decode()
    settings.ZQ_MAX_UPLOAD_MB = 1
    response = client.post(url, {"file": SimpleUploadedFile("大.pdf", samples.PDF + b"0" * (1024 * 1024 + 1))})
    assert response.status_code == 200 and "过大" in response.content.decode()
    assert not Attachment.objects.filter(resource=resource).exists()
    assert stored_files(local_media) == []

    response = client.post(url, {"title": "", "file": samples.upload("政策原文.pdf", content_type="text/html")})
    assert response.status_code == 302
    attachment = Attachment.objects.get(resource=resource)
    assert attachment.content_type == "application/pdf"  # from the checked content, not the browser's claim


def test_the_service_refuses_too_whatever_screen_calls_it(cluster, local_media):
    resource = services.create_resource(by="t", site=None, publish=True, kind="notice", title="平台通知")
    with pytest.raises(ValidationError):
        services.add_attachment(resource, SimpleUploadedFile("x.svg", samples.SVG), by="t", site=None)
    assert stored_files(local_media) == []


def test_wagtail_documents_follow_the_same_rules(cluster, local_media, settings):
    county = cluster["county_b"]
    client = site_admin(county)
    for name, data in (("page.html", samples.HTML), ("通知.pdf", samples.HTML), ("logo.svg", samples.SVG)):
        response = client.post("/admin/documents/add/", {"title": name, "file": SimpleUploadedFile(name, data)})
        assert response.status_code == 200, name
        content = response.content.decode()
        assert "不支持" in content or "不符" in content, name
        assert "允许的扩展为" not in content  # one clear message, not the model's repeat about an empty name
    settings.ZQ_MAX_UPLOAD_MB = 1
    big = SimpleUploadedFile("大.pdf", samples.PDF + b"0" * (1024 * 1024 + 1))
    response = client.post("/admin/documents/add/", {"title": "大", "file": big})
    assert response.status_code == 200 and "过大" in response.content.decode()
    with schema_context(county.schema_name):
        from wagtail.documents.models import Document

        assert not Document.objects.exists()
    assert stored_files(local_media) == []


def assert_downloads_as_attachment(response, filename: str, content_type: str) -> None:
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment"), disposition
    assert re.search(r"filename\*=utf-8''" + re.escape(urllib.parse.quote(filename)), disposition, re.I), disposition
    assert response["Content-Type"].split(";")[0] == content_type


def test_library_downloads_are_attachments_with_the_chinese_name_and_nosniff(cluster, local_media):
    county = cluster["county_a"]
    resource = services.create_resource(by="t", site=county, publish=True, kind="notice", title="招生通知")
    attachment = services.add_attachment(resource, samples.upload("政策原文.pdf"), by="t", site=county)
    response = client_for(county).get(attachment.file.url)
    assert response.status_code == 200
    assert_downloads_as_attachment(response, "政策原文.pdf", "application/pdf")
    assert b"".join(response.streaming_content) == samples.PDF


def test_an_html_attachment_stored_before_the_rules_is_still_only_downloaded(cluster, local_media):
    """Files accepted before validation existed must not become active content either."""
    from shared_library.storage import library_storage

    resource = services.create_resource(by="t", site=None, publish=True, kind="notice", title="旧附件")
    name = library_storage().save("attachments/2025/01/old.html", SimpleUploadedFile("old.html", samples.HTML))
    attachment = Attachment.objects.create(resource=resource, file=name, title="旧附件", content_type="text/html")
    response = client_for("platform.localhost").get(attachment.file.url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_wagtail_serves_every_document_as_an_attachment_with_nosniff(cluster, local_media):
    county = cluster["county_b"]
    client = site_admin(county)
    response = client.post("/admin/documents/add/", {"title": "办事指南", "file": samples.upload("政策原文.pdf")})
    assert response.status_code == 302, response.content.decode()[:3000]
    with schema_context(county.schema_name):
        from wagtail.documents.models import Document

        document = Document.objects.get(title="办事指南")
        url = document.url
    connection.set_schema_to_public()
    response = client_for(county).get(url)
    assert response.status_code == 200
    assert_downloads_as_attachment(response, "政策原文.pdf", "application/pdf")
