"""办事指南 (service guides): required elements enforced on publish, drafts may be incomplete,
form downloads, and the /banshi/ index."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from django_tenants.utils import schema_context
from wagtail.documents.models import Document
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from shared_library import services as library
from shared_library.guides import REQUIRED_ELEMENTS
from shared_library.models import Resource, ResourceStatus
from siteusers.models import User
from tenants.content.models import ColumnPage
from tenants.services.models import ServiceGuideDocument, ServiceGuidePage
from tests.helpers import client_for
from tests.people import editor, logged_in

pytestmark = pytest.mark.django_db

ELEMENTS = {
    "item_name": "城乡居民基本养老保险参保登记",
    "legal_basis": "<p>《国务院关于建立统一的城乡居民基本养老保险制度的意见》</p>",
    "conditions": "<p>年满16周岁、不符合职工基本养老保险参保条件的城乡居民</p>",
    "materials": "<p>居民身份证、户口簿</p>",
    "process": "<p>申请—受理—审核—办结</p>",
    "time_limit": "即办",
    "fees": "不收费",
    "location": "青山县政务服务中心一楼社保窗口",
    "phone": "0123-4567890",
}


def _draft(site, **overrides) -> ServiceGuidePage:
    fields = {**ELEMENTS, **overrides}
    column = ColumnPage.objects.get(slug="service")
    guide = ServiceGuidePage(title="城乡居民养老保险参保登记办事指南", slug="yanglao-canbao", live=False, **fields)
    column.add_child(instance=guide)
    return guide


def test_guide_missing_time_limit_cannot_be_published_by_revision_publish(cluster):
    county = cluster["county_a"]
    with schema_context(county.schema_name):
        guide = _draft(county, time_limit="")
        revision = guide.save_revision()  # a draft may be incomplete
        with pytest.raises(ValidationError) as refused:
            revision.publish()
        assert "办理时限" in str(refused.value) and "设定依据" not in str(refused.value)
        guide.refresh_from_db()
        assert not guide.live

        # Nor can an incomplete guide be created live, skipping publish().
        column = ColumnPage.objects.get(slug="service")
        with pytest.raises(ValidationError):
            column.add_child(
                instance=ServiceGuidePage(title="直接发布", slug="zhijie", **{**ELEMENTS, "time_limit": ""})
            )

        guide.time_limit = "5个工作日"
        guide.save_revision().publish()
        guide.refresh_from_db()
        assert guide.live
    page = client_for(county).get("/banshi/").content.decode()
    assert "城乡居民养老保险参保登记办事指南" in page
    detail = client_for(county).get("/service/yanglao-canbao/").content.decode()
    assert "5个工作日" in detail and "青山县政务服务中心一楼社保窗口" in detail


def _form(action: str | None, **overrides) -> dict:
    fields = {**ELEMENTS, **overrides}
    for name in ("legal_basis", "conditions", "materials", "process"):
        fields[name] = rich_text(fields[name]) if fields[name] else rich_text("")
    data = nested_form_data(
        {
            "title": "个体工商户设立登记办事指南",
            "slug": "geti-dengji",
            "online_url": "",
            "forms": inline_formset([]),
            "comments": inline_formset([]),
            **fields,
        }
    )
    if action:
        data[action] = "1"
    return data


def test_guide_missing_time_limit_cannot_be_published_from_the_admin(cluster):
    county = cluster["county_a"]
    editor("sg-editor", county)
    staff = logged_in(county, "sg-editor")
    with schema_context(county.schema_name):
        column_id = ColumnPage.objects.get(slug="service").pk
    url = reverse("wagtailadmin_pages:add", args=("services", "serviceguidepage", column_id))
    assert staff.get(url).status_code == 200

    refused = staff.post(url, _form("action-publish", time_limit=""))
    assert refused.status_code == 200
    assert "发布前请填写“办理时限”" in refused.content.decode()
    with schema_context(county.schema_name):
        assert not ServiceGuidePage.objects.filter(slug="geti-dengji").exists()

    draft = staff.post(url, _form(None, time_limit=""))
    assert draft.status_code == 302
    with schema_context(county.schema_name):
        guide = ServiceGuidePage.objects.get(slug="geti-dengji")
        assert not guide.live
    edit = reverse("wagtailadmin_pages:edit", args=(guide.pk,))
    assert staff.post(edit, _form("action-publish", time_limit="")).status_code == 200
    published = staff.post(edit, _form("action-publish", time_limit="3个工作日"))
    assert published.status_code == 302
    with schema_context(county.schema_name):
        assert ServiceGuidePage.objects.get(pk=guide.pk).live


def test_guide_offers_form_downloads(cluster):
    county = cluster["county_a"]
    with schema_context(county.schema_name):
        document = Document(title="参保登记表")
        document.file.save("canbao.txt", ContentFile("城乡居民基本养老保险参保登记表".encode()), save=True)
        guide = _draft(county)
        guide.forms.add(ServiceGuideDocument(title="城乡居民基本养老保险参保登记表", document=document))
        guide.save_revision().publish()
    page = client_for(county).get("/service/yanglao-canbao/").content.decode()
    assert "表格下载" in page and "城乡居民基本养老保险参保登记表" in page and "/documents/" in page


def test_required_elements_are_the_national_list():
    assert [label for _name, label in REQUIRED_ELEMENTS] == [
        "事项名称",
        "设定依据",
        "受理条件",
        "申请材料",
        "办理流程",
        "办理时限",
        "收费标准",
        "办理地点",
        "咨询电话",
    ]


LIBRARY_GUIDE = {
    "item_name": "城乡居民最低生活保障申请",
    "legal_basis": "《社会救助暂行办法》",
    "conditions": "共同生活的家庭成员人均收入低于当地最低生活保障标准",
    "materials": "户口簿、身份证、收入证明",
    "process": "申请—审核—公示—审批",
    "time_limit": "30个工作日",
    "fees": "不收费",
    "location": "户籍所在地乡镇（街道）便民服务中心",
    "phone": "12345",
}


def test_a_library_guide_is_refused_incomplete_and_syndicated_complete_to_every_county(cluster):
    with pytest.raises(ValidationError) as refused:
        library.create_resource(
            by="operator",
            site=None,
            publish=True,
            kind="guide",
            title="城乡低保申请办事指南",
            guide={**LIBRARY_GUIDE, "time_limit": ""},
        )
    assert "办理时限" in str(refused.value)
    draft = library.create_resource(
        by="operator", site=None, kind="guide", title="城乡低保申请办事指南", guide={**LIBRARY_GUIDE, "time_limit": " "}
    )
    with pytest.raises(ValidationError):
        library.publish(draft, by="operator", site=None)
    draft.refresh_from_db()
    assert draft.status == ResourceStatus.DRAFT

    draft.guide = LIBRARY_GUIDE
    library.save_resource(draft, by="operator", site=None)
    library.publish(draft, by="operator", site=None)
    counties = [cluster["county_a"], cluster["county_b"]]
    library.syndicate(draft, counties, "service", by="operator", site=None)
    for county in counties:
        banshi = client_for(county).get("/banshi/").content.decode()
        assert "城乡低保申请办事指南" in banshi
        detail = client_for(county).get(f"/library/{draft.pk}/").content.decode()
        assert "30个工作日" in detail and "户籍所在地乡镇（街道）便民服务中心" in detail


def test_the_library_admin_edits_guide_elements_in_labelled_boxes(cluster):
    county = cluster["county_a"]
    with schema_context(county.schema_name):
        user = User.objects.create_superuser(username="sg-lib-admin", password="x" * 12, email="a@example.com")
        client = client_for(county)
        client.force_login(user)
    form = client.get("/admin/library/resources/new/").content.decode()
    assert 'name="guide_5"' in form and "办理时限" in form
    data = {
        "kind": "guide",
        "title": "青山县护照办理指南",
        "summary": "",
        "body": rich_text("<p>详见办事指南要素。</p>"),
        "index_number": "",
        "document_number": "",
        "issuing_body": "青山县公安局",
        "written_date": "",
        "publish_date": "2026-11-02",
        "tags": "",
        "validity": "effective",
        "disclosure": "active",
        **{f"guide_{n}": value for n, value in enumerate(LIBRARY_GUIDE.values())},
        "guide_5": "",
    }
    assert client.post("/admin/library/resources/new/", data).status_code == 302  # a draft may be incomplete
    resource = Resource.objects.get(title="青山县护照办理指南")
    assert resource.guide["time_limit"] == "" and resource.guide["phone"] == "12345"
    refused = client.post(f"/admin/library/resources/publish/{resource.pk}/")
    resource.refresh_from_db()
    assert resource.status != ResourceStatus.PUBLISHED
    assert refused.status_code == 200 and "办理时限" in refused.content.decode()
