"""An operator runs sites from the console: creates a county and a township under it, adds an alias
domain, and the new sites answer on their domains; bad input gets a clear error and creates nothing."""

from __future__ import annotations

from django.urls import reverse
from django_tenants.utils import schema_context, schema_exists
from wagtail.models import Site as WagtailSite

from audit.models import AuditEvent
from console.models import SiteStats
from tenants.models import Domain, Site, SiteStatus
from tests.console_helpers import create_site, domain_action, operator_client
from tests.helpers import client_for


def test_an_operator_creates_a_county_and_a_township_under_it_and_both_answer_on_their_domains(cluster):
    client = operator_client()

    response = create_site(client, name="红河县人民政府", slug="honghe", kind="county", parent=cluster["city"].pk,
                           organiser="红河县人民政府办公室", site_code="5325290001", theme="green")  # fmt: skip
    county = Site.objects.get(slug="honghe")
    assert response.status_code == 302 and response["Location"] == reverse("console_sites:detail", args=[county.pk])
    assert county.parent == cluster["city"] and county.primary_domain == "honghe.localhost"
    assert schema_exists(county.schema_name)

    response = create_site(client, name="红河县城关镇人民政府", slug="honghe-chengguan", kind="township",
                           parent=county.pk, domain="cg.honghe.localhost")  # fmt: skip
    township = Site.objects.get(slug="honghe-chengguan")
    assert response.status_code == 302
    assert township.parent == county and township.primary_domain == "cg.honghe.localhost"

    home = client_for("honghe.localhost").get("/")
    assert home.status_code == 200 and "红河县人民政府" in home.content.decode()
    assert "红河县城关镇人民政府" in client_for("cg.honghe.localhost").get("/").content.decode()

    # Both were provisioned like the command does (audited with the operator) and have numbers at once.
    assert set(AuditEvent.objects.filter(action="provision", actor_username="ops-console").values_list(
        "site__slug", flat=True)) == {"honghe", "honghe-chengguan"}  # fmt: skip
    assert SiteStats.objects.get(site=county).page_count > 0

    detail = client.get(reverse("console_sites:detail", args=[county.pk])).content.decode()
    assert "红河县城关镇人民政府" in detail and "honghe.localhost" in detail


def test_an_alias_redirects_to_the_primary_domain_until_the_operator_chooses_to_serve_it(cluster):
    client = operator_client()
    county = cluster["county_b"]

    response = domain_action(client, county, "add", domain="baishui-alias.localhost")
    assert response.status_code == 302
    alias = Domain.objects.get(domain="baishui-alias.localhost")
    assert alias.tenant == county and not alias.is_primary and not alias.serve_alias

    redirect = client_for("baishui-alias.localhost").get("/news/?page=2")
    assert redirect.status_code == 301
    assert redirect["Location"] == f"http://{county.primary_domain}/news/?page=2"
    posted = client_for("baishui-alias.localhost").post("/search/", {"q": "x"})
    assert posted.status_code == 308  # a form posted to the alias keeps its method

    domain_action(client, county, "serve", domain=alias.pk)
    served = client_for("baishui-alias.localhost").get("/")
    assert served.status_code == 200 and "白水县人民政府" in served.content.decode()

    changes = AuditEvent.objects.filter(action="domain_change", site=county, actor_username="ops-console")
    assert [event.details["op"] for event in changes.order_by("at", "pk")] == ["add", "serve_alias"]


def test_making_an_alias_primary_moves_the_sites_own_hostname_and_the_old_primary_redirects(cluster):
    client = operator_client()
    county = cluster["county_b"]
    old = county.primary_domain
    domain_action(client, county, "add", domain="www-baishui.localhost")
    new = Domain.objects.get(domain="www-baishui.localhost")

    domain_action(client, county, "primary", domain=new.pk)
    assert Site.objects.get(pk=county.pk).primary_domain == "www-baishui.localhost"
    with schema_context(county.schema_name):
        assert WagtailSite.objects.get(is_default_site=True).hostname == "www-baishui.localhost"
    assert client_for("www-baishui.localhost").get("/").status_code == 200
    moved = client_for(old).get("/")
    assert moved.status_code == 301 and moved["Location"] == "http://www-baishui.localhost/"


def test_the_primary_and_the_last_domain_cannot_be_removed(cluster):
    client = operator_client()
    county = cluster["county_b"]
    primary = Domain.objects.get(tenant=county, is_primary=True)

    response = domain_action(client, county, "remove", domain=primary.pk)
    assert response.status_code == 302
    assert Domain.objects.filter(pk=primary.pk).exists()
    page = client.get(response["Location"]).content.decode()
    assert "不能删除主域名" in page

    domain_action(client, county, "add", domain="spare-baishui.localhost")
    spare = Domain.objects.get(domain="spare-baishui.localhost")
    domain_action(client, county, "remove", domain=spare.pk)
    assert not Domain.objects.filter(pk=spare.pk).exists()
    removed = AuditEvent.objects.filter(action="domain_change", details__op="remove", details__domain=spare.domain)
    assert removed.exists()


def test_bad_domains_get_a_clear_error_and_change_nothing(cluster):
    client = operator_client()
    county = cluster["county_b"]
    before = set(Domain.objects.values_list("domain", flat=True))
    cases = {
        cluster["county_a"].primary_domain: "已被站点“青山县人民政府”使用",
        "10.1.2.3": "是 IP 地址",
        "www.t-city.localhost": "请填写不带 www 的域名",
        "bad_host.localhost": "不是有效的域名",
    }
    for host, message in cases.items():
        response = domain_action(client, county, "add", domain=host)
        assert response.status_code == 200, host
        assert message in response.content.decode(), host
    assert set(Domain.objects.values_list("domain", flat=True)) == before
    assert not AuditEvent.objects.filter(action="domain_change").exists()


def test_creating_a_site_with_bad_input_shows_errors_per_field_and_creates_nothing(cluster):
    client = operator_client()
    sites_before = Site.objects.count()
    cases = [
        ({"slug": "t-county-a", "name": "重名县"}, "slug", "已被使用"),
        ({"slug": "newcounty", "name": "新县", "domain": cluster["county_a"].primary_domain}, "domain", "已被站点"),
        ({"slug": "newcounty", "name": "新县", "domain": "192.168.10.20"}, "domain", "是 IP 地址"),
        ({"slug": "newcounty", "name": "新县", "aliases": "ok-alias.localhost\nchengguan-alias.localhost"}, "aliases",
         "已被站点"),
        ({"slug": "newtown", "name": "新镇", "kind": "township"}, "parent", "必须指定上级站点"),
        ({"slug": "newcounty", "name": "新县", "icp_number": "备案123"}, "icp_number", "ICP备案号格式"),
        ({"slug": "Bad Slug!", "name": "新县"}, "slug", ""),
    ]  # fmt: skip
    for fields, field, message in cases:
        response = create_site(client, **fields)
        assert response.status_code == 200, fields
        errors = response.context["form"].errors
        assert field in errors, (fields, errors)
        assert message in " ".join(errors[field]), (fields, errors)
        assert "站点未创建" in response.content.decode()
    assert Site.objects.count() == sites_before
    assert not schema_exists("site_newcounty") and not schema_exists("site_newtown")


def test_an_operator_edits_identity_theme_and_parent_and_every_change_is_audited(cluster):
    client = operator_client()
    town = cluster["township"]
    url = reverse("console_sites:edit", args=[town.pk])
    form = client.get(url).context["form"]
    data = {name: ("" if value is None else value) for name, value in form.initial.items()}
    data.update(organiser="青山县城关镇人民政府", icp_number="赣ICP备12345678号-1", site_code="123",
                parent=cluster["county_b"].pk)  # fmt: skip

    response = client.post(url, data)
    assert response.status_code == 302
    town.refresh_from_db()
    assert town.organiser == "青山县城关镇人民政府" and town.parent == cluster["county_b"]
    event = AuditEvent.objects.get(action="site_update", site=town)
    assert event.actor_username == "ops-console"
    assert event.details["changes"]["parent"] == ["青山县人民政府", "白水县人民政府"]
    assert set(event.details["changes"]) == {"organiser", "icp_number", "site_code", "parent"}
    page = client.get(response["Location"]).content.decode()
    assert "与常见格式" in page  # the 标识码 warning (a warning, not an error)


def test_a_parent_that_would_make_a_cycle_is_refused(cluster):
    client = operator_client()
    city = cluster["city"]
    url = reverse("console_sites:edit", args=[city.pk])
    data = {name: ("" if value is None else value) for name, value in client.get(url).context["form"].initial.items()}
    data["parent"] = cluster["township"].pk  # below the city: city → county_a → township

    response = client.post(url, data)
    assert response.status_code == 200
    assert "parent" in response.context["form"].errors
    city.refresh_from_db()
    assert city.parent is None
    assert not AuditEvent.objects.filter(action="site_update").exists()


def test_a_suspended_site_answers_503_to_the_public_keeps_its_admin_and_comes_back(cluster):
    client = operator_client()
    county = cluster["county_a"]
    lifecycle = reverse("console_sites:lifecycle", args=[county.pk])

    refused = client.post(lifecycle, {"op": "suspend", "reason": ""})
    assert refused.status_code == 302 and Site.objects.get(pk=county.pk).status == SiteStatus.ACTIVE

    client.post(lifecycle, {"op": "suspend", "reason": "网页被篡改，整改中"})
    assert Site.objects.get(pk=county.pk).status == SiteStatus.SUSPENDED
    public = client_for(county).get("/")
    assert public.status_code == 503 and "暂停服务" in public.content.decode()
    assert "青山县人民政府" in public.content.decode()
    assert client_for(county).get("/admin/login/").status_code == 200

    client.post(lifecycle, {"op": "resume"})
    assert client_for(county).get("/").status_code == 200
    events = AuditEvent.objects.filter(action="site_update", site=county).order_by("at", "pk")
    assert [event.details["changes"]["status"][1] for event in events] == ["暂停服务", "运行中"]
    assert events[0].details["reason"] == "网页被篡改，整改中"


def test_the_detail_page_links_a_closure_to_the_closure_wizard(cluster):
    client = operator_client()
    county = cluster["county_b"]
    html = client.get(reverse("console_sites:detail", args=[county.pk])).content.decode()
    assert f"/admin/console/closures/start/?site={county.pk}" in html
