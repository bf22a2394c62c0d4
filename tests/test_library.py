"""The library's metadata, validation, versioning, index numbers and contribution rules."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from shared_library import services
from shared_library.models import Genre, Resource, ResourceStatus, TopicCategory


def make(site=None, **fields) -> Resource:
    defaults = {
        "kind": "policy",
        "title": "关于加强政务公开工作的通知",
        "body": "<p>各乡镇人民政府……</p>",
        "issuing_body": "江城市人民政府办公室",
        "document_number": "江政办发〔2026〕12号",
        "written_date": datetime.date(2026, 10, 20),
        "publish_date": datetime.date(2026, 10, 22),
    }
    defaults.update(fields)
    return services.create_resource(by="editor", site=site, **defaults)


def test_national_taxonomies_are_seeded(db):
    assert TopicCategory.objects.filter(name="综合政务").exists()
    assert TopicCategory.objects.filter(name="民政、扶贫、救灾").exists()
    assert set(Genre.objects.values_list("name", flat=True)) >= {"通知", "公告", "意见", "办法", "决定", "解读"}


def test_a_resource_keeps_its_government_metadata(cluster):
    topic = TopicCategory.objects.get(name="综合政务")
    genre = Genre.objects.get(name="通知")
    resource = make(
        cluster["county_a"], topic=topic, genre=genre, tags=["政务公开"], disclosure="active", validity="effective"
    )
    resource.refresh_from_db()
    assert resource.source_site == cluster["county_a"]
    assert resource.topic == topic and resource.genre == genre
    assert resource.tags == ["政务公开"]
    assert resource.document_number == "江政办发〔2026〕12号"
    assert resource.status == ResourceStatus.DRAFT
    assert resource.created_by == "editor"


def test_a_publish_date_before_the_written_date_is_refused(db):
    with pytest.raises(ValidationError) as excinfo:
        make(written_date=datetime.date(2026, 10, 20), publish_date=datetime.date(2026, 10, 1))
    assert "发布日期不能早于成文日期。" in excinfo.value.message_dict["publish_date"]
    assert not Resource.objects.exists()


def test_index_numbers_follow_the_configured_pattern_and_count_up(cluster):
    with override_settings(ZQ_INDEX_NUMBER_PATTERN="{org}-{year}-{seq:05d}"):
        first = make(cluster["county_a"])
        second = make(cluster["county_a"], title="第二份文件")
        platform = make(None, title="市政府文件")
    site_org = cluster["county_a"].site_code or cluster["county_a"].slug
    assert first.index_number == f"{site_org}-2026-00001"
    assert second.index_number == f"{site_org}-2026-00002"
    assert platform.index_number == "platform-2026-00001"
    with override_settings(ZQ_INDEX_NUMBER_PATTERN="ZQ/{year}/{org}/{seq:03d}"):
        third = make(cluster["county_a"], title="第三份文件")
    assert third.index_number == f"ZQ/2026/{site_org}/003"


def test_a_duplicate_index_number_is_refused_with_a_clear_error(db):
    make(index_number="11345-2026-00099")
    with pytest.raises(ValidationError) as excinfo:
        make(index_number="11345-2026-00099", title="另一份文件")
    assert "索引号已被其他资源使用，请更换。" in excinfo.value.message_dict["index_number"]


def test_an_interpretation_links_both_ways_to_its_policy(db):
    policy = make()
    interpretation = make(kind="interpretation", title="一图读懂", interpretation_of=policy)
    assert list(policy.interpretations.all()) == [interpretation]
    with pytest.raises(ValidationError) as excinfo:
        make(kind="article", title="新闻", interpretation_of=policy)
    assert "interpretation_of" in excinfo.value.message_dict


def test_every_change_is_versioned_with_who_and_what(cluster):
    resource = make(cluster["county_a"])
    services.update_resource(resource, by="zhang", site=cluster["county_a"], title="关于进一步加强政务公开工作的通知")
    services.publish(resource, by="li", site=cluster["county_a"])
    versions = list(resource.versions.order_by("number"))
    assert [v.action for v in versions] == ["create", "edit", "publish"]
    assert versions[0].by == "editor" and versions[0].changes["title"] == [None, "关于加强政务公开工作的通知"]
    assert versions[1].by == "zhang" and versions[1].site_name == "青山县人民政府"
    assert versions[1].changes == {"title": ["关于加强政务公开工作的通知", "关于进一步加强政务公开工作的通知"]}
    assert versions[2].changes["status"] == ["draft", "published"]
    assert all(v.at for v in versions)


def test_an_edit_that_changes_nothing_writes_no_version(cluster):
    resource = make(cluster["county_a"])
    services.update_resource(resource, by="zhang", site=cluster["county_a"], title=resource.title)
    assert resource.versions.count() == 1


def test_township_contributions_go_to_review_not_straight_to_publication(cluster):
    township = cluster["township"]
    resource = make(township, publish=True)
    assert resource.status == ResourceStatus.PENDING_REVIEW
    assert resource.source_site == township
    with pytest.raises(PermissionDenied):
        services.publish(resource, by="town-clerk", site=township)
    with pytest.raises(PermissionDenied):  # a county that is not its parent may not approve it
        services.approve(resource, by="b-editor", site=cluster["county_b"])
    services.approve(resource, by="a-editor", site=cluster["county_a"])  # its parent county
    resource.refresh_from_db()
    assert resource.status == ResourceStatus.PUBLISHED
    assert [v.action for v in resource.versions.order_by("number")] == ["create", "approve"]


def test_a_township_draft_can_be_submitted_for_review(cluster):
    resource = make(cluster["township"])
    services.submit_for_review(resource, by="town-clerk", site=cluster["township"])
    assert Resource.objects.get(pk=resource.pk).status == ResourceStatus.PENDING_REVIEW


def test_editors_of_any_site_contribute_and_publish_directly(cluster):
    resource = make(cluster["department"], publish=True)
    assert resource.status == ResourceStatus.PUBLISHED
    assert resource.source_site == cluster["department"]


def test_a_site_cannot_edit_another_sites_resource(cluster):
    resource = make(cluster["county_a"])
    with pytest.raises(PermissionDenied):
        services.update_resource(resource, by="b", site=cluster["county_b"], title="篡改")
    services.update_resource(resource, by="operator", site=None, title="平台修正")  # the platform may


def test_the_current_schema_is_the_contributing_site(cluster):
    from django_tenants.utils import schema_context

    with schema_context(cluster["county_b"].schema_name):
        from django.db import connection

        connection.set_tenant(cluster["county_b"])
        resource = services.create_resource(by="b-editor", title="白水县通知", kind="notice")
    assert resource.source_site == cluster["county_b"]


def test_withdrawal_needs_a_reason(cluster):
    resource = make(cluster["county_a"], publish=True)
    with pytest.raises(ValidationError):
        services.withdraw(resource, "  ", by="a", site=cluster["county_a"])
    services.withdraw(resource, "内容已过时", by="a", site=cluster["county_a"])
    resource.refresh_from_db()
    assert resource.status == ResourceStatus.WITHDRAWN and resource.withdrawn_at is not None
