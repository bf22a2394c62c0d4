"""The "资源库" screens in a site's Wagtail admin go through the services (versioned, sourced)."""

from __future__ import annotations

import json

from django.db import connection
from django_tenants.utils import schema_context

from shared_library.models import Resource, Syndication
from tests.helpers import client_for

# What the Draftail editor posts for a one-paragraph body.
DRAFTAIL_BODY = json.dumps(
    {
        "blocks": [
            {"key": "a1", "type": "unstyled", "text": "正文", "depth": 0, "inlineStyleRanges": [], "entityRanges": []}
        ],
        "entityMap": {},
    }
)


def admin_client(site):
    from siteusers.models import User

    with schema_context(site.schema_name):
        user = User.objects.create_superuser(username=f"admin-{site.slug}", password="x" * 12, email="a@example.com")
        client = client_for(site)
        client.force_login(user)
    connection.set_schema_to_public()
    return client


def test_a_site_editor_creates_publishes_and_syndicates_from_the_admin(cluster):
    client = admin_client(cluster["county_a"])
    assert client.get("/admin/library/resources/").status_code == 200
    response = client.post(
        "/admin/library/resources/new/",
        {
            "kind": "notice",
            "title": "青山县关于开展安全检查的通知",
            "summary": "",
            "body": DRAFTAIL_BODY,
            "index_number": "",
            "document_number": "青政办〔2026〕3号",
            "issuing_body": "青山县人民政府办公室",
            "written_date": "2026-11-01",
            "publish_date": "2026-11-02",
            "tags": "",
            "validity": "effective",
            "disclosure": "active",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    resource = Resource.objects.get(title="青山县关于开展安全检查的通知")
    assert resource.source_site == cluster["county_a"]
    assert resource.index_number and resource.created_by == "admin-t-county-a"
    assert resource.versions.get().action == "create"

    assert client.post(f"/admin/library/resources/publish/{resource.pk}/").status_code == 302
    resource.refresh_from_db()
    assert resource.status == "published"

    # a county pushes onto itself and the sites below it (issue 12: not onto other counties)
    page = client.get(f"/admin/library/resources/syndicate/{resource.pk}/")
    assert page.status_code == 200 and "青山县城关镇人民政府" in page.content.decode()
    response = client.post(
        f"/admin/library/resources/syndicate/{resource.pk}/",
        {"sites": [cluster["county_a"].pk, cluster["township"].pk], "column_slug": "notices"},
    )
    assert response.status_code == 302
    assert set(Syndication.objects.filter(resource=resource).values_list("site__slug", flat=True)) == {
        "t-county-a",
        "t-town",
    }
    assert client_for(cluster["township"]).get(f"/library/{resource.pk}/").status_code == 200

    listing = client.get("/admin/library/resources/")
    assert listing.status_code == 200 and "转载到站点" in listing.content.decode()

    response = client.post(f"/admin/library/resources/withdraw/{resource.pk}/", {"reason": "检查已结束"})
    assert response.status_code == 302
    assert client_for(cluster["township"]).get(f"/library/{resource.pk}/").status_code == 410


def test_an_invalid_admin_form_shows_the_validation_message(cluster):
    client = admin_client(cluster["county_b"])
    response = client.post(
        "/admin/library/resources/new/",
        {
            "kind": "policy",
            "title": "日期有误的文件",
            "body": DRAFTAIL_BODY,
            "written_date": "2026-11-10",
            "publish_date": "2026-11-01",
            "validity": "effective",
            "disclosure": "active",
        },
    )
    assert response.status_code == 200
    assert "发布日期不能早于成文日期。" in response.content.decode()
    assert not Resource.objects.filter(title="日期有误的文件").exists()


def test_a_township_editor_can_only_submit_for_review(cluster):
    from shared_library import services

    resource = services.create_resource(by="clerk", site=cluster["township"], title="城关镇通知", kind="notice")
    client = admin_client(cluster["township"])
    assert client.post(f"/admin/library/resources/publish/{resource.pk}/").status_code == 302
    resource.refresh_from_db()
    assert resource.status == "pending_review"


def in_menu(label: str, html: str) -> bool:
    """The sidebar menu is JSON in the page (non-ASCII escaped)."""
    return label in html or json.dumps(label)[1:-1] in html


def test_the_platform_console_manages_the_taxonomies(cluster):
    from siteusers.models import User

    connection.set_schema_to_public()
    user = User.objects.create_superuser(username="operator-lib", password="x" * 12, email="o@example.com")
    client = client_for("platform.localhost")
    client.force_login(user)
    html = client.get("/admin/").content.decode()
    assert in_menu("资源库", html) and in_menu("主题分类", html)
    response = client.get("/admin/library/topics/")
    assert response.status_code == 200 and "综合政务" in response.content.decode()
    site_html = admin_client(cluster["county_a"]).get("/admin/").content.decode()
    assert in_menu("资源库", site_html) and not in_menu("主题分类", site_html)


def test_a_site_editor_with_a_real_role_contributes_but_a_submitter_cannot_open_the_library(cluster):
    from tests.people import editor, logged_in, submitter

    county = cluster["county_a"]
    editor("lib-editor", county)
    submitter("lib-clerk", county, ["news"])
    connection.set_schema_to_public()

    editor_client = logged_in(county, "lib-editor")
    assert editor_client.get("/admin/library/resources/").status_code == 200
    assert editor_client.get("/admin/library/resources/new/").status_code == 200

    clerk = logged_in(county, "lib-clerk")
    assert clerk.get("/admin/library/resources/").status_code in (302, 403)
    assert clerk.get("/admin/library/resources/new/").status_code in (302, 403)
