"""Creating a site: validate, make its schema from the template, register it, build its skeleton.

All of it happens in one transaction (PostgreSQL DDL is transactional): a failure at any step
leaves no schema, no tenant row and no domain behind.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context, schema_exists

from audit.log import record
from review.chain import sync_site as sync_review_chain
from tenants.content.skeleton import build_skeleton
from tenants.lib.hostnames import slug_to_label, validate_hostname
from tenants.models import Domain, Site, SiteKind
from tenants.pool import claim_spare
from tenants.schema_template import ensure_template, replay_template


@dataclass
class SiteSpec:
    """Everything an operator says about a new site. Only name, slug and kind are required."""

    name: str
    slug: str
    kind: str
    parent_slug: str = ""
    domain: str = ""
    aliases: list[str] = field(default_factory=list)
    theme: str = "default"
    site_code: str = ""
    icp_number: str = ""
    police_number: str = ""
    organiser: str = ""
    operator: str = ""
    contact: str = ""


@dataclass
class ProvisionResult:
    site: Site
    seconds: float
    method: str  # "pool", "template" or "migrate"


def default_domain(slug: str) -> str:
    from django.conf import settings

    return f"{slug_to_label(slug)}.{settings.SITE_DOMAIN_SUFFIX}"


def schema_name_for(slug: str) -> str:
    return ("site_" + slug.lower().replace("-", "_"))[:63]


def build_site(spec: SiteSpec) -> tuple[Site, list[str]]:
    """Validate a spec into an unsaved Site + its domains, with every error in one ValidationError."""
    errors: dict[str, list[str]] = {}
    parent = None
    if spec.parent_slug:
        parent = Site.objects.filter(slug=spec.parent_slug).first()
        if parent is None:
            errors.setdefault("parent", []).append(_("上级站点“%s”不存在。") % spec.parent_slug)
    site = Site(
        schema_name=schema_name_for(spec.slug),
        name=spec.name.strip(),
        slug=spec.slug.strip().lower(),
        kind=spec.kind,
        parent=parent,
        theme=spec.theme or "default",
        site_code=spec.site_code.strip(),
        icp_number=spec.icp_number.strip(),
        police_number=spec.police_number.strip(),
        organiser=spec.organiser.strip(),
        operator=spec.operator.strip(),
        contact=spec.contact.strip(),
    )
    if spec.kind == SiteKind.PLATFORM:
        errors.setdefault("kind", []).append(_("平台站点只能有一个，不能再创建。"))
    try:
        site.full_clean()
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            errors.setdefault(key, []).extend(messages)
    if Site.objects.filter(schema_name__iexact=site.schema_name).exists() or schema_exists(site.schema_name):
        errors.setdefault("slug", []).append(_("站点代号“%s”已被使用。") % spec.slug)
    domains = [d.strip().lower() for d in [spec.domain or default_domain(spec.slug), *spec.aliases] if d.strip()]
    for domain in domains:
        try:
            validate_hostname(domain)
        except ValidationError as exc:
            errors.setdefault("domain", []).extend(exc.messages)
            continue
        if Domain.objects.filter(domain=domain).exists():
            errors.setdefault("domain", []).append(_("域名“%s”已被其他站点使用。") % domain)
    if len(set(domains)) != len(domains):
        errors.setdefault("domain", []).append(_("域名重复。"))
    if errors:
        raise ValidationError({key: sorted(set(value)) for key, value in errors.items()})
    return site, domains


def provision_site(spec: SiteSpec, *, method: str = "template", by=None) -> ProvisionResult:
    """Create a site. ``method="template"`` claims a spare (or replays the template);
    ``method="migrate"`` runs every migration (slow; kept to measure against)."""
    connection.set_schema_to_public()
    started = time.perf_counter()
    site, domains = build_site(spec)
    used = method
    if method == "migrate":
        _create_schema_by_migrations(site.schema_name)
    try:
        with transaction.atomic():
            if method == "template":
                template = ensure_template()
                if claim_spare(template.state_hash, site.schema_name):
                    used = "pool"
                else:
                    replay_template(template, site.schema_name)
            site.save()
            for index, domain in enumerate(domains):
                Domain.objects.create(domain=domain, tenant=site, is_primary=index == 0)
            with schema_context(site.schema_name):
                build_skeleton(site_name=site.name, hostname=domains[0], kind=site.kind)
            sync_review_chain(site, by=by)
            record("provision", actor=by, site=site, obj=site, method=used, domains=domains)
    except BaseException:
        if method == "migrate":
            with connection.cursor() as cursor:
                cursor.execute(f'DROP SCHEMA IF EXISTS "{site.schema_name}" CASCADE')
        raise
    return ProvisionResult(site=site, seconds=time.perf_counter() - started, method=used)


def _create_schema_by_migrations(schema_name: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE SCHEMA "{schema_name}"')
    try:
        call_command("migrate_schemas", tenant=True, schema_name=schema_name, interactive=False, verbosity=0)
    except BaseException:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP SCHEMA IF EXISTS "{schema_name}" CASCADE')
        raise
    finally:
        connection.set_schema_to_public()
