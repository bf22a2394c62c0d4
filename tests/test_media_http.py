"""Files over HTTP, on local storage and on a real S3 server: what an editor uploads is what a visitor
gets, each site serves only its own files, library files only while their resource is public, and a
delete takes the file with it without touching another site's file of the same name."""

from __future__ import annotations

import html
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django_tenants.utils import schema_context

from shared_library import services
from shared_library.models import Attachment, Disclosure, ResourceStatus
from tenants.models import Domain
from tests import samples
from tests.files import download, media_backend, site_admin
from tests.helpers import client_for, publish_article

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(params=["local", "s3"])
def media(request, tmp_path):
    yield from media_backend(request, tmp_path)


@pytest.fixture
def local_media(request, tmp_path):
    request.param = "local"
    yield from media_backend(request, tmp_path)


def root_collection_id(site) -> int:
    from wagtail.models import Collection

    with schema_context(site.schema_name):
        return Collection.get_first_root_node().pk


def upload_image(client, site, name: str, data: bytes, title: str):
    from wagtail.images.models import Image

    response = client.post(
        "/admin/images/add/",
        {"title": title, "file": SimpleUploadedFile(name, data, "image/png"), "collection": root_collection_id(site)},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    with schema_context(site.schema_name):
        return Image.objects.get(title=title)


def upload_document(client, site, name: str, data: bytes, title: str):
    from wagtail.documents.models import Document

    response = client.post(
        "/admin/documents/add/",
        {"title": title, "file": SimpleUploadedFile(name, data), "collection": root_collection_id(site)},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    with schema_context(site.schema_name):
        return Document.objects.get(title=title)


def test_an_uploaded_image_shows_as_a_rendition_on_the_public_page_and_goes_with_its_files(
    cluster, media, django_capture_on_commit_callbacks
):
    a, b = cluster["county_a"], cluster["county_b"]
    admin_a = site_admin(a)
    image_a = upload_image(admin_a, a, "logo.png", samples.image("PNG", (900, 600), "red"), "青山县城全景")
    image_b = upload_image(site_admin(b), b, "logo.png", samples.image("PNG", (300, 200), "blue"), "白水县城全景")
    body = f'<p>县城新貌：</p><embed embedtype="image" id="{image_a.pk}" format="fullwidth" alt="青山县城"/>'
    publish_article(a, "news", "青山县城新貌", body=body, slug="county-view")

    page = client_for(a).get("/news/county-view/")
    assert page.status_code == 200
    found = re.search(r'<img[^>]*\bsrc="([^"]+)"', page.content.decode())
    assert found, page.content.decode()
    src = html.unescape(found.group(1))
    got = download(client_for(a), src)
    assert got.status == 200 and got.body.startswith(PNG_SIGNATURE)
    with schema_context(a.schema_name):
        rendition = image_a.renditions.get()
        keys_a = [f"{a.schema_name}/{image_a.file.name}", f"{a.schema_name}/{rendition.file.name}"]
        # the same object; on S3 the signature carries the second it was made, so compare without the query
        assert rendition.width == 800 and rendition.url.split("?")[0] == src.split("?")[0]
    connection.set_schema_to_public()
    assert all(media.exists(key) for key in keys_a)
    key_b = f"{b.schema_name}/{image_b.file.name}"
    assert image_b.file.name == image_a.file.name and media.exists(key_b)

    with django_capture_on_commit_callbacks(execute=True):
        assert admin_a.post(reverse("wagtailimages:delete", args=[image_a.pk])).status_code == 302
    connection.set_schema_to_public()
    assert not any(media.exists(key) for key in keys_a)
    assert media.exists(key_b)
    with schema_context(b.schema_name):
        url_b = image_b.file.url
    connection.set_schema_to_public()
    assert download(client_for(b), url_b).body == samples.image("PNG", (300, 200), "blue")


def test_an_uploaded_document_downloads_as_an_attachment_and_goes_with_its_file(
    cluster, media, django_capture_on_commit_callbacks
):
    a, b = cluster["county_a"], cluster["county_b"]
    admin_a = site_admin(a)
    doc_a = upload_document(admin_a, a, "办事指南.pdf", samples.PDF, "青山县办事指南")
    doc_b = upload_document(site_admin(b), b, "办事指南.pdf", samples.PDF + b"% county B\n", "白水县办事指南")
    url_a = f"/documents/{doc_a.pk}/{doc_a.filename}"
    got = download(client_for(a), url_a)
    assert got.status == 200 and got.body == samples.PDF
    assert got.headers["content-disposition"].startswith("attachment")
    assert got.headers["content-type"].startswith("application/pdf")
    key_a, key_b = f"{a.schema_name}/{doc_a.file.name}", f"{b.schema_name}/{doc_b.file.name}"
    assert media.exists(key_a) and media.exists(key_b)
    if media.name == "s3":  # what S3 itself answers with when a browser is redirected to it
        meta = media.metadata(key_a)
        assert meta["ContentType"] == "application/pdf" and meta["ContentDisposition"].startswith("attachment")

    with django_capture_on_commit_callbacks(execute=True):
        assert admin_a.post(reverse("wagtaildocs:delete", args=[doc_a.pk])).status_code == 302
    connection.set_schema_to_public()
    assert not media.exists(key_a)
    assert client_for(a).get(url_a).status_code == 404
    assert media.exists(key_b)
    assert download(client_for(b), f"/documents/{doc_b.pk}/{doc_b.filename}").body == samples.PDF + b"% county B\n"


def test_a_library_attachment_downloads_from_the_resource_page_and_goes_with_its_resource(
    cluster, media, django_capture_on_commit_callbacks
):
    a, b = cluster["county_a"], cluster["county_b"]
    admin_a = site_admin(a)
    resource_a = services.create_resource(by="t", site=a, publish=True, kind="notice", title="青山县防汛通知")
    resource_b = services.create_resource(by="t", site=b, publish=True, kind="notice", title="白水县防汛通知")
    response = admin_a.post(
        f"/admin/library/resources/attach/{resource_a.pk}/", {"title": "防汛通知", "file": samples.upload("通知.docx")}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    other_bytes = samples.zip_of({"[Content_Types].xml": b"<T/>", "word/b.xml": b"B"})  # same name, other bytes
    attachment_b = services.add_attachment(resource_b, SimpleUploadedFile("通知.docx", other_bytes), by="t", site=b)
    attachment_a = Attachment.objects.get(resource=resource_a)
    assert attachment_a.file.name != attachment_b.file.name

    page = client_for(a).get(f"/library/{resource_a.pk}/").content.decode()
    link = html.unescape(re.search(r'<a href="([^"]+)">防汛通知</a>', page).group(1))
    got = download(client_for(a), link)
    assert got.status == 200 and got.body == samples.GOOD["通知.docx"]
    assert got.headers["content-disposition"].startswith("attachment")
    assert got.headers["content-type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    key_a, key_b = f"library/{attachment_a.file.name}", f"library/{attachment_b.file.name}"
    assert media.exists(key_a) and media.exists(key_b)
    if media.name == "s3":
        meta = media.metadata(key_a)
        assert meta["ContentDisposition"].startswith("attachment")
        assert meta["ContentType"].endswith("wordprocessingml.document")

    with django_capture_on_commit_callbacks(execute=True):
        assert admin_a.post(reverse("shared_library_resource:delete", args=[resource_a.pk])).status_code == 302
    assert not Attachment.objects.filter(pk=attachment_a.pk).exists()
    assert not media.exists(key_a)
    assert client_for(a).get(link).status_code == 404
    assert media.exists(key_b)
    got_b = download(client_for(b), attachment_b.file.url)
    assert got_b.status == 200 and got_b.body == other_bytes


def test_a_site_host_serves_only_its_own_media_files(cluster, local_media):
    a, b = cluster["county_a"], cluster["county_b"]
    image_a = upload_image(site_admin(a), a, "logo.png", samples.image("PNG", color="red"), "青山县徽")
    image_b = upload_image(site_admin(b), b, "logo.png", samples.image("PNG", color="blue"), "白水县徽")
    doc_a = upload_document(site_admin(a, "files-doc"), a, "内部.pdf", samples.PDF, "内部文件")
    url_a = f"/media/{a.schema_name}/{image_a.file.name}"
    url_b = f"/media/{b.schema_name}/{image_b.file.name}"

    assert download(client_for(a), url_a).body == samples.image("PNG", color="red")
    assert download(client_for(b), url_b).body == samples.image("PNG", color="blue")
    # An alias the operator chose to serve answers like its site (a redirecting alias never serves).
    Domain.objects.filter(domain="chengguan-alias.localhost").update(serve_alias=True)
    for host in (b, cluster["city"], cluster["township"], "chengguan-alias.localhost", "platform.localhost"):
        assert client_for(host).get(url_a).status_code == 404, host
    for sneaky in (
        f"/media/{b.schema_name}/../{a.schema_name}/{image_a.file.name}",
        f"/media/{b.schema_name}/%2e%2e/{a.schema_name}/{image_a.file.name}",
        f"/media/{b.schema_name}/..%2f{a.schema_name}/{image_a.file.name}",
    ):
        assert client_for(b).get(sneaky).status_code in (400, 404), sneaky
    # a document only through /documents/<id>/<name>, which applies Wagtail's privacy rules
    assert client_for(a).get(f"/media/{a.schema_name}/{doc_a.file.name}").status_code == 404
    assert client_for(a).get(f"/documents/{doc_a.pk}/{doc_a.filename}").status_code == 200


@pytest.mark.parametrize(
    "state",
    [
        {"status": ResourceStatus.DRAFT},
        {"status": ResourceStatus.PENDING_REVIEW},
        {"status": ResourceStatus.WITHDRAWN, "withdrawn_reason": "已失效"},
        {"status": ResourceStatus.PUBLISHED, "disclosure": Disclosure.NOT_PUBLIC},
    ],
    ids=["draft", "pending", "withdrawn", "not-public"],
)
def test_library_files_of_unpublished_withdrawn_or_undisclosed_resources_are_404_to_visitors(cluster, media, state):
    a, b = cluster["county_a"], cluster["county_b"]
    resource = services.create_resource(by="t", site=a, publish=True, kind="policy", title="青山县征地补偿方案")
    attachment = services.add_attachment(resource, samples.upload("政策原文.pdf"), by="t", site=a)
    url = attachment.file.url
    assert download(client_for(a), url).status == 200  # published and actively disclosed: public

    type(resource).objects.filter(pk=resource.pk).update(**state)
    for host in (a, b, "platform.localhost"):
        assert client_for(host).get(url).status_code == 404, host
    if state["status"] != ResourceStatus.PUBLISHED:  # its own editors still open it to review it
        assert download(site_admin(a), url).status == 200
        assert site_admin(b).get(url).status_code == 404  # another site's editors do not


def test_library_files_are_served_where_the_resource_is_shown(cluster, media):
    a, b = cluster["county_a"], cluster["county_b"]
    resource = services.create_resource(by="t", site=a, publish=True, kind="policy", title="青山县产业扶持办法")
    url = services.add_attachment(resource, samples.upload("政策原文.pdf"), by="t", site=a).file.url
    assert download(client_for(a), url).status == 200
    assert download(client_for("platform.localhost"), url).status == 200  # the library's API links here
    assert client_for(b).get(url).status_code == 404  # not shown on county B ...
    services.syndicate(resource, [b], "policy", by="t", site=None)
    assert download(client_for(b), url).status == 200  # ... until syndicated there
    assert client_for(a).get("/media/library/attachments/none.pdf").status_code == 404


def test_names_stored_with_the_doubled_prefix_are_repaired_and_served_again(cluster, local_media):
    """Files uploaded before the fix sit in the right folder, but their stored names carry the prefix."""
    from django.core.management import call_command
    from wagtail.images.models import Image

    a = cluster["county_a"]
    (local_media.root / a.schema_name / "original_images").mkdir(parents=True)
    (local_media.root / a.schema_name / "original_images/old.png").write_bytes(samples.image("PNG"))
    (local_media.root / "library/attachments/2025/01").mkdir(parents=True)
    (local_media.root / "library/attachments/2025/01/旧附件.pdf").write_bytes(samples.PDF)
    with schema_context(a.schema_name):
        legacy_name = f"{a.schema_name}/original_images/old.png"
        image = Image.objects.create(title="旧图片", file=legacy_name, width=40, height=30)
    connection.set_schema_to_public()
    resource = services.create_resource(by="t", site=a, publish=True, kind="notice", title="旧通知")
    attachment = Attachment.objects.create(resource=resource, file="library/attachments/2025/01/旧附件.pdf")
    with schema_context(a.schema_name):
        old_url = Image.objects.get(pk=image.pk).file.url
    connection.set_schema_to_public()
    assert client_for(a).get(old_url).status_code == 404  # what visitors saw

    call_command("repair_media_names", stdout=io.StringIO())
    call_command("repair_media_names", stdout=io.StringIO())  # a second run changes nothing
    with schema_context(a.schema_name):
        image.refresh_from_db()
        assert image.file.name == "original_images/old.png"
        url = image.file.url
    connection.set_schema_to_public()
    assert download(client_for(a), url).body == samples.image("PNG")
    attachment.refresh_from_db()
    assert attachment.file.name == "attachments/2025/01/旧附件.pdf"
    assert download(client_for(a), attachment.file.url).body == samples.PDF
