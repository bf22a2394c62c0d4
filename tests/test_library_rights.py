"""Who may push a library resource where (转载), and who sees which resource in the library admin.

Operators (platform console) syndicate anywhere; a site editor onto their own site and the sites
below it; a submitter (信息报送员) and a township's people nowhere. The target column must exist on
every target site. Every library screen is scoped: a guessed URL for another site's draft is 404.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from shared_library import services
from shared_library.models import Resource, ResourceStatus, Syndication
from tests.helpers import client_for
from tests.library_people import cast, draft_of, platform_policy

SYNDICATE = "/admin/library/resources/syndicate/{pk}/"
SYNDICATIONS = "/admin/library/resources/syndications/{pk}/"
SITE_SYNDICATIONS = "/admin/library/resources/syndications/"


@pytest.fixture
def people(cluster):
    return cast(cluster)


def targets(resource: Resource) -> set[str]:
    return set(Syndication.objects.filter(resource=resource).values_list("site__slug", flat=True))


def refused(response) -> bool:
    """A refusal is a 403/404, or the form shown again (200) with an error; never a redirect."""
    return response.status_code in (200, 403, 404)


# --- Who may push where ----------------------------------------------------------------------


def test_a_county_editor_cannot_push_onto_the_city_or_a_sibling_county(cluster, people):
    policy = platform_policy()
    for target in ("city", "county_b", "department"):
        response = people.county_editor.post(
            SYNDICATE.format(pk=policy.pk), {"sites": [cluster[target].pk], "column_slug": "policy"}
        )
        assert refused(response), target
        assert "站点编辑只能转载到本站点及下级站点" in response.content.decode(), target
    response = people.county_editor.post(SYNDICATE.format(pk=policy.pk), {"sites": ["x"], "column_slug": "news"})
    assert response.status_code == 200 and "不是有效的站点编号" in response.content.decode()
    assert targets(policy) == set()


def test_a_county_editor_pushes_onto_itself_and_the_township_below_it(cluster, people):
    policy = platform_policy()
    form = people.county_editor.get(SYNDICATE.format(pk=policy.pk))
    assert form.status_code == 200
    html = form.content.decode()
    assert cluster["county_a"].name in html and cluster["township"].name in html
    assert cluster["county_b"].name not in html and cluster["city"].name not in html
    response = people.county_editor.post(
        SYNDICATE.format(pk=policy.pk),
        {"sites": [cluster["county_a"].pk, cluster["township"].pk], "column_slug": "news"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert targets(policy) == {"t-county-a", "t-town"}
    assert client_for(cluster["township"]).get(f"/library/{policy.pk}/").status_code == 200


def test_township_people_and_submitters_push_nowhere(cluster, people):
    policy = platform_policy()
    own = {"sites": [cluster["township"].pk], "column_slug": "news"}
    response = people.township_editor.post(SYNDICATE.format(pk=policy.pk), own, follow=True)
    assert "乡镇（街道）站点不能转载资源" in response.content.decode()
    assert people.township_clerk.post(SYNDICATE.format(pk=policy.pk), own).status_code in (302, 403, 404)
    county = {"sites": [cluster["county_a"].pk], "column_slug": "news"}
    assert people.county_clerk.post(SYNDICATE.format(pk=policy.pk), county).status_code in (302, 403, 404)
    assert targets(policy) == set()


def test_an_operator_pushes_anywhere_from_the_console(cluster, people):
    policy = platform_policy()
    response = people.operator.post(
        SYNDICATE.format(pk=policy.pk),
        {"sites": [cluster["city"].pk, cluster["county_b"].pk, cluster["department"].pk], "column_slug": "policy"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert targets(policy) == {"t-city", "t-county-b", "t-edu"}


def test_the_rule_holds_in_the_service_whoever_calls_it(cluster):
    policy = platform_policy()
    with pytest.raises(PermissionDenied) as excinfo:
        services.syndicate(policy, [cluster["city"]], "news", by="qs", site=cluster["county_a"])
    assert cluster["city"].name in str(excinfo.value)
    with pytest.raises(PermissionDenied):
        services.syndicate(policy, [cluster["township"]], "news", by="town", site=cluster["township"])
    # the city reaches its grandchildren (city -> county -> township)
    assert services.syndicate(policy, [cluster["township"]], "news", by="city", site=cluster["city"]) == 1
    assert targets(policy) == {"t-town"}


def test_a_column_a_target_lacks_is_refused_with_the_sites_name(cluster, people):
    policy = platform_policy()
    # townships have no 政策文件 column: nothing is syndicated, not even to the county that has one
    response = people.operator.post(
        SYNDICATE.format(pk=policy.pk),
        {"sites": [cluster["county_a"].pk, cluster["township"].pk], "column_slug": "policy"},
    )
    assert response.status_code == 200
    assert f"{cluster['township'].name} 没有“policy”栏目。" in response.content.decode()
    assert targets(policy) == set()
    with pytest.raises(ValidationError) as excinfo:
        services.syndicate(policy, [cluster["county_b"]], "no-such-column", by="operator", site=None)
    assert cluster["county_b"].name in " ".join(excinfo.value.messages)
    assert targets(policy) == set()


def test_the_column_is_chosen_from_the_targets_real_columns(cluster, people):
    policy = platform_policy()
    html = people.county_editor.get(SYNDICATE.format(pk=policy.pk)).content.decode()
    assert 'name="column_slug"' in html and "<select" in html
    assert "工作动态" in html and "政策文件" in html
    response = people.county_editor.post(
        SYNDICATE.format(pk=policy.pk), {"sites": [cluster["county_a"].pk], "column_slug": "made-up"}
    )
    assert response.status_code == 200 and targets(policy) == set()
    assert "made-up" in response.content.decode()  # named in the error


# --- Listing and removing syndications -------------------------------------------------------


def _syndicated_everywhere(cluster) -> Resource:
    policy = platform_policy()
    services.syndicate(
        policy, [cluster["county_a"], cluster["county_b"], cluster["township"]], "news", by="ops", site=None
    )
    return policy


def test_an_operator_lists_and_removes_a_resources_syndications(cluster, people):
    policy = _syndicated_everywhere(cluster)
    page = people.operator.get(SYNDICATIONS.format(pk=policy.pk))
    assert page.status_code == 200
    html = page.content.decode()
    for key in ("county_a", "county_b", "township"):
        assert cluster[key].name in html
    row = Syndication.objects.get(resource=policy, site=cluster["county_b"])
    response = people.operator.post(SYNDICATIONS.format(pk=policy.pk), {"syndications": [row.pk]})
    assert response.status_code == 302
    assert targets(policy) == {"t-county-a", "t-town"}
    assert client_for(cluster["county_b"]).get(f"/library/{policy.pk}/").status_code == 404


def test_a_county_editor_removes_only_what_it_could_have_pushed(cluster, people):
    policy = _syndicated_everywhere(cluster)
    html = people.county_editor.get(SYNDICATIONS.format(pk=policy.pk)).content.decode()
    assert cluster["township"].name in html and cluster["county_b"].name not in html
    other = Syndication.objects.get(resource=policy, site=cluster["county_b"])
    response = people.county_editor.post(SYNDICATIONS.format(pk=policy.pk), {"syndications": [other.pk]})
    assert refused(response) and "您无权撤下" in response.content.decode()
    assert "t-county-b" in targets(policy)
    with pytest.raises(PermissionDenied):
        services.unsyndicate(policy, [cluster["county_b"]], by="qs", site=cluster["county_a"])
    mine = Syndication.objects.get(resource=policy, site=cluster["township"])
    response = people.county_editor.post(SYNDICATIONS.format(pk=policy.pk), {"syndications": [mine.pk]})
    assert response.status_code == 302
    assert targets(policy) == {"t-county-a", "t-county-b"}


def test_a_site_lists_what_was_syndicated_to_it_and_removes_it(cluster, people):
    policy = _syndicated_everywhere(cluster)
    page = people.other_county_editor.get(SITE_SYNDICATIONS)
    assert page.status_code == 200 and policy.title in page.content.decode()
    row = Syndication.objects.get(resource=policy, site=cluster["county_b"])
    assert people.other_county_editor.post(SITE_SYNDICATIONS, {"syndications": [row.pk]}).status_code == 302
    assert targets(policy) == {"t-county-a", "t-town"}
    # another county's rows are not on its list, and guessing their ids removes nothing
    foreign = Syndication.objects.get(resource=policy, site=cluster["county_a"])
    assert refused(people.other_county_editor.post(SITE_SYNDICATIONS, {"syndications": [foreign.pk]}))
    assert refused(people.other_county_editor.get(SITE_SYNDICATIONS, {"site": cluster["county_a"].pk}))
    assert "t-county-a" in targets(policy)
    # the operator picks any site
    page = people.operator.get(SITE_SYNDICATIONS, {"site": cluster["county_a"].pk})
    assert page.status_code == 200 and policy.title in page.content.decode()


def test_township_people_remove_nothing(cluster, people):
    policy = _syndicated_everywhere(cluster)
    row = Syndication.objects.get(resource=policy, site=cluster["township"])
    for url in (SYNDICATIONS.format(pk=policy.pk), SITE_SYNDICATIONS):
        response = people.township_editor.post(url, {"syndications": [row.pk]}, follow=True)
        assert "乡镇（街道）站点不能转载资源" in response.content.decode(), url
    assert people.township_clerk.post(SITE_SYNDICATIONS, {"syndications": [row.pk]}).status_code in (302, 403, 404)
    assert "t-town" in targets(policy)


# --- Scoped screens --------------------------------------------------------------------------


@pytest.fixture
def drafts(cluster):
    return {
        "county_a": draft_of(cluster["county_a"], "青山县未发布通知"),
        "county_b": draft_of(cluster["county_b"], "白水县未发布通知", kind="policy"),
        "township": draft_of(cluster["township"], "城关镇未发布通知"),
        "platform": draft_of(None, "市政府未发布通知"),
    }


def test_the_index_shows_published_resources_and_own_and_child_drafts_only(cluster, people, drafts):
    published = platform_policy("市政府已发布的政策")
    html = people.county_editor.get("/admin/library/resources/").content.decode()
    assert published.title in html
    assert "青山县未发布通知" in html and "城关镇未发布通知" in html
    assert "白水县未发布通知" not in html and "市政府未发布通知" not in html
    html = people.other_county_editor.get("/admin/library/resources/", {"q": "未发布"}).content.decode()
    assert "白水县未发布通知" in html
    assert "青山县未发布通知" not in html and "城关镇未发布通知" not in html
    html = people.operator.get("/admin/library/resources/").content.decode()
    for resource in drafts.values():
        assert resource.title in html


@pytest.mark.parametrize(
    "path",
    [
        "edit/{pk}/",
        "history/{pk}/",
        "history-results/{pk}/",
        "usage/{pk}/",
        "delete/{pk}/",
        "publish/{pk}/",
        "syndicate/{pk}/",
        "syndications/{pk}/",
        "withdraw/{pk}/",
        "attach/{pk}/",
    ],
)
def test_a_guessed_url_for_another_sites_draft_is_not_found(cluster, people, drafts, path):
    url = "/admin/library/resources/" + path.format(pk=drafts["county_b"].pk)
    for client in (people.county_editor, people.township_editor):
        assert client.get(url).status_code in (403, 404), url
        assert client.post(url, {"title": "篡改", "reason": "篡改"}).status_code in (403, 404), url
    resource = Resource.objects.get(pk=drafts["county_b"].pk)
    assert resource.title == "白水县未发布通知" and resource.status == ResourceStatus.DRAFT
    assert resource.versions.count() == 1
    # its own site, and the city above it (which reviews its children), do open it
    for client in (people.other_county_editor, people.city_editor):
        assert client.get(url).status_code in (200, 302), url  # 302: delete is not a site editor's action


def test_the_interpretation_choice_lists_no_other_sites_draft(cluster, people, drafts):
    html = people.county_editor.get("/admin/library/resources/new/").content.decode()
    assert "白水县未发布通知" not in html


@pytest.mark.parametrize("pk", ["99999999999999999999", "0", "abc"])
def test_malformed_ids_in_admin_urls_are_not_found(cluster, people, pk):
    for path in ("edit", "history", "syndicate", "syndications"):
        response = people.county_editor.get(f"/admin/library/resources/{path}/{pk}/")
        assert response.status_code == 404, (path, pk)


def test_another_sites_published_resource_opens_but_is_not_saved(cluster, people):
    policy = platform_policy("市政府已发布的政策")
    url = f"/admin/library/resources/edit/{policy.pk}/"
    page = people.county_editor.get(url)
    assert page.status_code == 200 and "不能保存修改" in page.content.decode()
    response = people.county_editor.post(url, {"title": "篡改", "kind": "policy"}, follow=True)
    assert "只能修改本站点报送的资源" in response.content.decode()
    policy.refresh_from_db()
    assert policy.title == "市政府已发布的政策" and policy.versions.count() == 1
