"""Careless or hostile provisioning input gets a clear answer per row, never a traceback or a broken site."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django_tenants.utils import schema_exists

from tenants.models import Domain, Site
from tenants.provisioning import SiteSpec, domain_problems, provision_site
from tests.helpers import client_for


def spec(**overrides) -> SiteSpec:
    values = dict(name="红岩镇人民政府", slug="hongyan", kind="township", parent_slug="t-county-a")
    values.update(overrides)
    return SiteSpec(**values)


def refused(**overrides) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        provision_site(spec(**overrides))
    return caught.value.message_dict


def test_a_csv_with_a_nul_byte_and_a_giant_field_reports_those_rows_and_creates_every_good_row(db, tmp_path, capsys):
    csv_file = tmp_path / "sites.csv"
    giant = "电" * (128 * 1024 + 1)
    csv_file.write_text(
        "name,slug,kind,parent_slug,contact\n"
        "北岭镇,beiling,township,t-county-a,\n"
        "南岭\x00镇,nanling,township,t-county-a,\n"
        f'西岭镇,xiling,township,t-county-a,"{giant}"\n'
        "东岭镇,dongling,township,t-county-a,0000-1234567\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="2 行未能创建"):
        call_command("create_sites", str(csv_file))
    out, err = capsys.readouterr()
    assert set(Site.objects.filter(slug__endswith="ling").values_list("slug", flat=True)) == {"beiling", "dongling"}
    assert "第 3 行（nanling）" in err and "name" in err and "控制字符" in err
    assert "第 4 行（xiling）" in err and "contact" in err and "过长" in err
    assert giant[:1000] not in err  # the report names the field, it does not echo 128 KiB back
    assert "\x00" not in err
    assert "共创建 2 个站点" in out


def test_an_unexpected_failure_in_one_csv_row_is_reported_and_the_next_rows_are_still_tried(
    db, tmp_path, capsys, monkeypatch
):
    from tenants import provisioning

    real = provisioning.build_skeleton

    def flaky(**kwargs):
        if kwargs["site_name"] == "坏镇":
            raise RuntimeError("磁盘已满")
        return real(**kwargs)

    monkeypatch.setattr(provisioning, "build_skeleton", flaky)
    csv_file = tmp_path / "sites.csv"
    csv_file.write_text(
        "name,slug,kind,parent_slug\n坏镇,bad-town,township,t-county-a\n好镇,good-town,township,t-county-a\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="1 行未能创建"):
        call_command("create_sites", str(csv_file))
    _out, err = capsys.readouterr()
    assert "第 2 行（bad-town）" in err and "磁盘已满" in err
    assert Site.objects.filter(slug="good-town").exists()
    assert not Site.objects.filter(slug="bad-town").exists() and not schema_exists("site_bad_town")


def test_a_csv_row_with_more_values_than_columns_is_refused_not_shifted(db, tmp_path, capsys):
    csv_file = tmp_path / "sites.csv"
    csv_file.write_text("name,slug,kind,parent_slug\n东河县,人民政府,donghe,county,t-city\n", encoding="utf-8")
    with pytest.raises(CommandError, match="1 行未能创建"):
        call_command("create_sites", str(csv_file))
    assert "第 2 行" in capsys.readouterr().err
    assert Site.objects.filter(name__startswith="东河县").count() == 0


def test_a_csv_that_is_not_utf8_names_the_line(db, tmp_path):
    csv_file = tmp_path / "sites.csv"
    csv_file.write_bytes("name,slug,kind\n北岭镇,beiling,county\n".encode() + "南岭镇,nanling,county\n".encode("gbk"))
    with pytest.raises(CommandError, match="第 3 行.*UTF-8"):
        call_command("create_sites", str(csv_file))


def test_a_slug_with_surrounding_spaces_is_trimmed_before_it_names_the_schema(db):
    site = provision_site(spec(slug=" spacey ")).site
    assert site.slug == "spacey"
    assert site.schema_name == "site_spacey"
    assert schema_exists("site_spacey") and not schema_exists("site_ spacey")


@pytest.mark.parametrize("slug", ["a b", "a_b", "-lead", "trail-", "中文", "x!", "a.b", "x" * 51, "a\x00b"])
def test_a_slug_outside_letters_digits_and_inner_hyphens_is_refused(db, slug):
    errors = refused(slug=slug)
    assert any("站点代号" in message for message in errors["slug"]), errors
    assert not Site.objects.filter(name="红岩镇人民政府").exists()


def test_the_create_site_command_uses_the_same_slug_rule(db):
    with pytest.raises(CommandError, match="站点代号"):
        call_command("create_site", "bad_slug", name="坏代号镇", kind="county")
    call_command("create_site", " Mixed-Case ", name="大小写镇", kind="county")
    assert Site.objects.get(name="大小写镇").schema_name == "site_mixed_case"


@pytest.mark.parametrize(
    "domain",
    ["127.0.0.1", "2130706433", "0x7f000001", "0177.0.0.1", "127.1", "10.0.0.8", "::1", "[::1]", "fe80::1",
     "1.2.3.4.5"],
)  # fmt: skip
def test_an_ip_address_is_refused_as_a_domain(db, domain):
    errors = refused(domain=domain)
    assert any("IP" in message for message in errors["domain"]) or any("域名" in m for m in errors["domain"])
    assert not Domain.objects.filter(domain=domain).exists()


def test_an_ip_literal_is_named_as_such(db):
    errors = refused(aliases=["2130706433"])
    assert any("IP 地址" in message and "2130706433" in message for message in errors["domain"]), errors


def test_a_request_by_ip_address_is_never_routed_to_a_site_even_with_a_legacy_domain_row(cluster):
    Domain.objects.create(domain="127.0.0.1", tenant=cluster["county_a"], is_primary=False)
    response = client_for("127.0.0.1").get("/")
    assert response.status_code == 404
    assert cluster["county_a"].name not in response.content.decode()


def test_a_www_twin_of_another_sites_domain_is_refused(cluster):
    errors = refused(domain="www.platform.localhost")
    assert any("www." in message and "platform.localhost" in message for message in errors["domain"]), errors
    errors = refused(aliases=[f"www.{cluster['county_b'].primary_domain}"])
    assert any("www." in message for message in errors["domain"]), errors


def test_a_bare_twin_of_another_sites_www_domain_is_refused(cluster):
    provision_site(spec(slug="wwwowner", domain="www.shared-twin.localhost"))
    errors = refused(slug="other", domain="shared-twin.localhost")
    assert any("www.shared-twin.localhost" in message for message in errors["domain"]), errors


def test_a_www_domain_as_primary_is_reachable_and_its_bare_twin_may_be_an_alias(cluster):
    site = provision_site(spec(slug="wwwsite", domain="www.wwwsite-gov.localhost", aliases=["wwwsite-gov.localhost"]))
    site = site.site
    assert site.primary_domain == "www.wwwsite-gov.localhost"
    for hostname in ("www.wwwsite-gov.localhost", "WWW.WWWSITE-GOV.LOCALHOST"):
        response = client_for(hostname).get("/")
        assert response.status_code == 200, hostname
        assert "红岩镇人民政府" in response.content.decode()
    # The bare twin is an alias: it answers by sending visitors to the primary (aliases redirect
    # unless an operator chooses to serve them).
    response = client_for("wwwsite-gov.localhost").get("/")
    assert response.status_code == 301 and response["Location"] == "http://www.wwwsite-gov.localhost/"


def test_www_in_front_of_a_registered_domain_still_reaches_that_site(cluster):
    response = client_for(f"www.{cluster['county_a'].primary_domain}").get("/")
    assert response.status_code == 200
    assert cluster["county_a"].name in response.content.decode()
    assert client_for("www.platform.localhost").get("/admin/login/").status_code == 200


def test_the_domain_rule_lets_a_site_take_the_www_twin_of_its_own_domain_only(cluster):
    county_a, county_b = cluster["county_a"], cluster["county_b"]
    assert domain_problems(f"www.{county_a.primary_domain}", site=county_a) == []
    assert any("只差 www." in p for p in domain_problems(f"www.{county_a.primary_domain}", site=county_b))
    assert any("IP 地址" in p for p in domain_problems("[::1]", site=county_a))
    assert any("已被其他站点使用" in p for p in domain_problems(county_b.primary_domain.upper(), site=county_a))
