"""Every library change reaches the cluster audit log, with who, where, what and the client address.

The services funnel every change through one version row; the audit record is written there, so
screens, the service API and commands are all covered."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from audit.models import AuditEvent
from shared_library import services
from shared_library.models import Resource, Syndication
from tests.library_people import cast, platform_policy

DRAFTAIL_BODY = json.dumps(
    {
        "blocks": [
            {"key": "a1", "type": "unstyled", "text": "正文", "depth": 0, "inlineStyleRanges": [], "entityRanges": []}
        ],
        "entityMap": {},
    }
)
ADMIN = "/admin/library/resources/"


@pytest.fixture
def people(cluster):
    return cast(cluster)


def events(resource: Resource):
    return AuditEvent.objects.filter(object_type="shared_library.resource", object_id=str(resource.pk)).order_by("id")


def form(title: str, **fields) -> dict:
    return {
        "kind": "notice",
        "title": title,
        "summary": "",
        "body": DRAFTAIL_BODY,
        "index_number": "",
        "document_number": "",
        "issuing_body": "青山县人民政府办公室",
        "written_date": "2026-11-01",
        "publish_date": "2026-11-02",
        "tags": "",
        "validity": "effective",
        "disclosure": "active",
        **fields,
    }


def test_a_county_editors_admin_actions_are_all_audited_with_address(cluster, people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = people.county_editor
    assert client.post(ADMIN + "new/", form("青山县审计测试通知")).status_code == 302
    resource = Resource.objects.get(title="青山县审计测试通知")
    assert client.post(ADMIN + f"edit/{resource.pk}/", form("青山县审计测试通知（修订）")).status_code == 302
    assert client.post(ADMIN + f"publish/{resource.pk}/").status_code == 302
    upload = SimpleUploadedFile("通知.pdf", b"%PDF-1.4\n%test\n", content_type="application/pdf")
    assert client.post(ADMIN + f"attach/{resource.pk}/", {"title": "通知原文", "file": upload}).status_code == 302
    response = client.post(
        ADMIN + f"syndicate/{resource.pk}/", {"sites": [cluster["township"].pk], "column_slug": "notices"}
    )
    assert response.status_code == 302
    row = Syndication.objects.get(resource=resource)
    assert client.post(ADMIN + f"syndications/{resource.pk}/", {"syndications": [row.pk]}).status_code == 302
    assert client.post(ADMIN + f"withdraw/{resource.pk}/", {"reason": "已过时"}).status_code == 302

    rows = list(events(resource))
    assert [e.action for e in rows] == [
        "library_create",
        "library_edit",
        "library_publish",
        "library_attach",
        "syndicate",
        "unsyndicate",
        "library_withdraw",
    ]
    for event in rows:
        assert event.actor_username == "lib-qs-ed", event.action
        assert event.site == cluster["county_a"], event.action
        assert event.ip == "127.0.0.1", event.action
        assert event.object_repr.startswith("青山县审计测试通知")
    by_action = {e.action: e for e in rows}
    assert "title" in by_action["library_edit"].details["fields"]
    syndicated = by_action["syndicate"].details
    assert syndicated["column"] == "notices"
    assert syndicated["sites"] == [{"id": cluster["township"].pk, "slug": "t-town", "name": cluster["township"].name}]
    assert by_action["unsyndicate"].details["sites"][0]["slug"] == "t-town"
    assert by_action["unsyndicate"].details["column"] == "notices"
    assert by_action["library_withdraw"].details["reason"] == "已过时"


def test_submission_and_approval_are_audited_with_address(cluster, people):
    response = people.township_editor.post(ADMIN + "new/", form("城关镇报送通知"))
    assert response.status_code == 302
    resource = Resource.objects.get(title="城关镇报送通知")
    assert people.township_editor.post(ADMIN + f"publish/{resource.pk}/").status_code == 302
    assert people.county_editor.post(ADMIN + f"publish/{resource.pk}/").status_code == 302
    rows = list(events(resource))
    assert [(e.action, e.actor_username, e.site.slug) for e in rows] == [
        ("library_create", "lib-town-ed", "t-town"),
        ("library_submit", "lib-town-ed", "t-town"),
        ("library_approve", "lib-qs-ed", "t-county-a"),
    ]
    assert all(e.ip == "127.0.0.1" for e in rows)


def test_service_calls_without_a_request_are_audited_too(cluster):
    policy = platform_policy()
    services.syndicate(policy, [cluster["county_b"]], "policy", by="ops-script", site=None)
    services.unsyndicate(policy, [cluster["county_b"]], by="ops-script", site=None)
    rows = list(events(policy))
    assert [e.action for e in rows] == ["library_create", "syndicate", "unsyndicate"]
    assert all(e.actor_username in ("operator", "ops-script") and e.site is None and e.ip is None for e in rows)


def test_a_refused_syndication_writes_nothing(cluster):
    policy = platform_policy()
    before = AuditEvent.objects.count()
    with pytest.raises(Exception):  # noqa: B017 - which refusal is tested elsewhere
        services.syndicate(policy, [cluster["city"]], "news", by="qs", site=cluster["county_a"])
    assert AuditEvent.objects.count() == before
    assert not Syndication.objects.filter(resource=policy).exists()


def test_deleting_is_refused_to_site_editors_and_audited_for_operators(cluster, people):
    draft = services.create_resource(by="qs", site=cluster["county_a"], title="青山县作废草稿")
    assert people.county_editor.post(ADMIN + f"delete/{draft.pk}/").status_code in (302, 403)
    assert Resource.objects.filter(pk=draft.pk).exists()
    other = services.create_resource(by="bs", site=cluster["county_b"], title="白水县草稿")
    with pytest.raises(PermissionDenied):
        services.delete_resource(other, by="qs", site=cluster["county_a"])
    assert Resource.objects.filter(pk=other.pk).exists()

    policy = platform_policy("误发的政策文件")
    services.syndicate(policy, [cluster["county_b"]], "policy", by="ops", site=None)
    assert people.operator.post(ADMIN + f"delete/{policy.pk}/").status_code == 302
    assert not Resource.objects.filter(pk=policy.pk).exists()
    assert not Syndication.objects.filter(resource_id=policy.pk).exists()
    event = AuditEvent.objects.get(
        object_type="shared_library.resource", object_id=str(policy.pk), details__deleted=True
    )
    assert event.action == "library_delete"
    assert event.actor_username == "lib-ops" and event.site is None and event.ip == "127.0.0.1"
    assert event.object_repr == "误发的政策文件" and event.details["status"] == "published"
