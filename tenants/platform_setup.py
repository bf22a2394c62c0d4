"""Bringing a database to a working platform: shared tables, the platform's own tenant row,
the site template and the warm pool. Idempotent: run it after every deploy."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction

from tenants.models import Domain, SchemaTemplate, Site, SiteKind
from tenants.pool import fill_pool
from tenants.schema_template import ensure_template


def ensure_platform_tenant() -> Site:
    """The public schema's tenant row: the platform console lives on its domain."""
    connection.set_schema_to_public()
    with transaction.atomic():
        site, _ = Site.objects.get_or_create(
            schema_name="public",
            defaults={"name": "站群管理平台", "slug": "platform", "kind": SiteKind.PLATFORM},
        )
        if not Domain.objects.filter(domain=settings.PLATFORM_DOMAIN).exists():
            Domain.objects.create(domain=settings.PLATFORM_DOMAIN, tenant=site, is_primary=True)
        _ensure_console_wagtail_site(site)
    return site


def _ensure_console_wagtail_site(site: Site) -> None:
    from wagtail.models import Site as WagtailSite

    WagtailSite.objects.filter(is_default_site=True).update(hostname=settings.PLATFORM_DOMAIN, site_name=site.name)


def setup_platform(pool_size: int, log: Callable[[str], None] = print) -> SchemaTemplate:
    log("迁移公共数据表……")
    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    ensure_platform_tenant()
    if Site.objects.exclude(schema_name="public").exists():
        log("迁移已有站点……")
        call_command("migrate_schemas", tenant=True, interactive=False, verbosity=0)
    connection.set_schema_to_public()
    template = ensure_template(log=log)
    made = fill_pool(template, pool_size)
    log(f"预建站点池：新增 {made} 个，共 {pool_size} 个。")
    return template
