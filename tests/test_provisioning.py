"""An operator creates sites in well under a second, from a template that follows the code."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django_tenants.utils import schema_context, schema_exists
from wagtail.models import GroupPagePermission

from tenants import schema_template
from tenants.content.models import ColumnPage, HomePage
from tenants.models import Domain, SchemaTemplate, Site, SpareSchema
from tenants.pool import fill_pool
from tenants.provisioning import SiteSpec, provision_site
from tests.helpers import client_for


def spec(**overrides) -> SiteSpec:
    values = dict(name="红岩镇人民政府", slug="hongyan", kind="township", parent_slug="t-county-a")
    values.update(overrides)
    return SiteSpec(**values)


def constraint_names(schema: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.conname FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = %s",
            [schema],
        )
        return {row[0] for row in cursor.fetchall()}


def test_a_new_township_site_comes_up_with_home_page_columns_groups_and_domain(cluster):
    result = provision_site(spec(theme="green", aliases=["hy.localhost"]))
    site = result.site
    assert result.method in {"pool", "template"}
    assert site.parent == cluster["county_a"]
    assert site.primary_domain == "hongyan.localhost"
    assert set(Domain.objects.filter(tenant=site).values_list("domain", flat=True)) == {
        "hongyan.localhost",
        "hy.localhost",
    }
    with schema_context(site.schema_name):
        home = HomePage.objects.get()
        assert home.title == "红岩镇人民政府"
        assert list(ColumnPage.objects.child_of(home).values_list("slug", flat=True)) == ["news", "notices", "service"]
        assert set(Group.objects.values_list("name", flat=True)) >= {"站点编辑", "信息报送员"}
        # submitters get per-column rights only; the broad group must not write anywhere
        assert not GroupPagePermission.objects.filter(group__name="信息报送员").exists()
    assert client_for("hy.localhost").get("/")["Location"] == "http://hongyan.localhost/"  # an alias redirects
    html = client_for("hongyan.localhost").get("/").content.decode()
    assert "红岩镇人民政府" in html and "themes/green.css" in html


def test_provisioning_is_audited_with_who_and_how(cluster):
    from audit.models import AuditEvent

    site = provision_site(spec(slug="audited"), by="operator").site
    event = AuditEvent.objects.get(action="provision", site=site)
    assert event.actor_username == "operator"
    assert event.details["domains"] == ["audited.localhost"]


def test_bad_input_is_refused_with_every_reason_and_nothing_is_created(cluster):
    bad = spec(
        slug="t-county-b",  # taken
        parent_slug="",  # a township needs a parent
        domain="bad_name.localhost",  # underscore is not a valid host
        aliases=[cluster["county_a"].primary_domain],  # taken by another site
        icp_number="ICP123",
    )
    with pytest.raises(ValidationError) as caught:
        provision_site(bad)
    errors = caught.value.message_dict
    assert set(errors) >= {"slug", "parent", "domain", "icp_number"}
    assert any("已被其他站点使用" in m for m in errors["domain"])
    assert Site.objects.filter(name="红岩镇人民政府").count() == 0


def test_a_failure_midway_leaves_no_schema_no_site_and_no_domain(cluster, monkeypatch):
    def explode(**_kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("tenants.provisioning.build_skeleton", explode)
    with pytest.raises(RuntimeError):
        provision_site(spec(slug="broken-site"))
    assert not Site.objects.filter(slug="broken-site").exists()
    assert not Domain.objects.filter(domain="broken-site.localhost").exists()
    assert not schema_exists("site_broken_site")


def test_a_spare_schema_from_the_pool_is_claimed_first(cluster):
    template = schema_template.ensure_template()
    fill_pool(template, SpareSchema.objects.filter(state_hash=template.state_hash).count() + 1)
    spares_before = SpareSchema.objects.count()
    result = provision_site(spec(slug="pooled"))
    assert result.method == "pool"
    assert SpareSchema.objects.count() == spares_before - 1
    assert client_for(result.site).get("/").status_code == 200


@pytest.fixture
def committed(django_db_blocker):
    """Real commits (migrations cannot run inside a test's transaction); cleans up its sites."""
    made: list[Site] = []
    with django_db_blocker.unblock():
        yield made
        connection.set_schema_to_public()
        for site in made:
            Domain.objects.filter(tenant=site).delete()
            site.delete(force_drop=True)


def test_a_cloned_site_has_exactly_the_schema_that_running_migrations_gives(committed):
    cloned = provision_site(spec(slug="cloned", name="克隆镇")).site
    committed.append(cloned)
    migrated = provision_site(spec(slug="migrated", name="迁移镇"), method="migrate").site
    committed.append(migrated)
    names = constraint_names(cloned.schema_name)
    assert len(names) > 100
    assert names == constraint_names(migrated.schema_name)
    assert client_for(migrated).get("/").status_code == 200


def test_the_template_is_rebuilt_when_the_migrations_change(committed, monkeypatch):
    old = schema_template.ensure_template()
    monkeypatch.setattr(schema_template, "migration_state_hash", lambda: "f" * 64)
    try:
        new = schema_template.ensure_template()
        assert new.state_hash == "f" * 64 and new.pk != old.pk
        assert not SchemaTemplate.objects.filter(pk=old.pk).exists()
        assert schema_exists(new.schema_name) and not schema_exists(old.schema_name)
    finally:
        monkeypatch.undo()
        schema_template.ensure_template()  # put the real template back for the other tests


def test_sites_are_created_in_bulk_from_a_csv_and_bad_rows_are_reported(cluster, tmp_path, capsys):
    csv_file = tmp_path / "sites.csv"
    csv_file.write_text(
        "name,slug,kind,parent_slug,aliases\n"
        "东河县人民政府,donghe,county,t-city,dh.localhost;donghe-gov.localhost\n"
        "东河县东河镇,donghe-town,township,donghe,\n"
        ",no-name,township,donghe,\n"
        "西山镇,xishan,township,no-such-parent,\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="2 行未能创建"):
        call_command("create_sites", str(csv_file))
    out, err = capsys.readouterr()
    assert Site.objects.get(slug="donghe-town").parent.slug == "donghe"
    assert Domain.objects.filter(domain="donghe-gov.localhost", tenant__slug="donghe").exists()
    assert "第 4 行" in err and "缺少必填项：name" in err
    assert "第 5 行" in err and "上级站点“no-such-parent”不存在" in err
    assert "共创建 2 个站点" in out


def test_a_csv_without_the_required_columns_is_refused_clearly(tmp_path, db):
    csv_file = tmp_path / "sites.csv"
    csv_file.write_text("title,domain\nx,y\n", encoding="utf-8")
    with pytest.raises(CommandError, match="缺少必需的列：name, slug, kind"):
        call_command("create_sites", str(csv_file))
