"""The sites every test can rely on (created once per session by ``conftest``)."""

from __future__ import annotations

from django.db import connection

from tenants.models import Site
from tenants.platform_setup import ensure_platform_tenant
from tenants.provisioning import SiteSpec, provision_site
from tenants.schema_template import ensure_template
from tests.helpers import publish_article

CLUSTER: dict[str, SiteSpec] = {
    "city": SiteSpec(name="江城市人民政府", slug="t-city", kind="city", organiser="江城市人民政府办公室"),
    "county_a": SiteSpec(name="青山县人民政府", slug="t-county-a", kind="county", parent_slug="t-city", theme="red"),
    "county_b": SiteSpec(name="白水县人民政府", slug="t-county-b", kind="county", parent_slug="t-city"),
    "department": SiteSpec(name="江城市教育局", slug="t-edu", kind="department", parent_slug="t-city"),
    "township": SiteSpec(
        name="青山县城关镇人民政府",
        slug="t-town",
        kind="township",
        parent_slug="t-county-a",
        aliases=["chengguan-alias.localhost"],
    ),
}


# Committed content every site carries (tests that write their own roll it back).
WELCOME_TITLE = "{name}门户网站正式上线"


def build_cluster() -> None:
    ensure_platform_tenant()
    ensure_template()
    for spec in CLUSTER.values():
        if not Site.objects.filter(slug=spec.slug).exists():
            site = provision_site(spec).site
            publish_article(site, "news", WELCOME_TITLE.format(name=site.name), slug="welcome")
    connection.set_schema_to_public()


def host(key: str) -> str:
    """A cluster site's primary host, without touching the database."""
    return f"{CLUSTER[key].slug}.localhost"
