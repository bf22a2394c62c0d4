"""Creating a site: validate, make its schema from the template, register it, build its skeleton.

All of it happens in one transaction (PostgreSQL DDL is transactional): a failure at any step
leaves no schema, no tenant row and no domain behind.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django_tenants.utils import schema_context, schema_exists

from audit.log import record
from review.chain import sync_site as sync_review_chain
from tenants.content.skeleton import build_skeleton
from tenants.events import site_changed_on_commit
from tenants.lib.hostnames import normalise_hostname, slug_to_label, validate_hostname, www_twin
from tenants.lib.plain_text import control_characters, shorten
from tenants.lib.slugs import normalise_slug, schema_name_for
from tenants.models import Domain, Site, SiteKind
from tenants.pool import claim_spare
from tenants.schema_template import ensure_template, migration_state_hash, replay_template
from zhanqun.ops.metrics import PROVISIONED


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
    return f"{slug_to_label(slug)}.{settings.SITE_DOMAIN_SUFFIX}"


# What each spec field (and error key) is called for an operator; CSV column names match the keys.
FIELD_LABELS = {
    "name": _lazy("站点名称"), "slug": _lazy("站点代号"), "kind": _lazy("站点类型"), "parent": _lazy("上级站点"),
    "parent_slug": _lazy("上级站点"), "domain": _lazy("域名"), "aliases": _lazy("别名域名"), "theme": _lazy("主题"),
    "site_code": _lazy("网站标识码"), "icp_number": _lazy("ICP备案号"), "police_number": _lazy("公安备案号"),
    "organiser": _lazy("主办单位"), "operator": _lazy("承办单位"), "contact": _lazy("联系方式"),
}  # fmt: skip
# Fields checked for control characters (a NUL byte alone makes PostgreSQL refuse the row).
_TEXT_FIELDS = [
    "name", "kind", "parent_slug", "domain", "theme", "site_code", "icp_number", "police_number",
    "organiser", "operator", "contact",
]  # fmt: skip


def field_label(key: str) -> str:
    """``站点名称（name）``: the Chinese label with the CSV column / option it comes from."""
    label = FIELD_LABELS.get(key)
    column = "parent_slug" if key == "parent" else key
    return f"{label}（{column}）" if label else key


def format_errors(exc: ValidationError) -> str:
    """One line naming every refused field and why (for the commands and the CSV report)."""
    if hasattr(exc, "error_dict"):
        parts = [
            f"{field_label(key) if key != NON_FIELD_ERRORS else _('站点')}：{'；'.join(_clause(m) for m in messages)}"
            for key, messages in exc.message_dict.items()
        ]
    else:
        parts = [_clause(m) for m in exc.messages]
    return "；".join(parts) + "。"


def _clause(message: str) -> str:
    return message.rstrip("。")


def build_site(spec: SiteSpec) -> tuple[Site, list[str]]:
    """Validate a spec into an unsaved Site + its domains, with every error in one ValidationError."""
    errors: dict[str, list[str]] = {}

    def refuse(key: str, *messages: str) -> None:
        if messages:
            errors.setdefault(key, []).extend(messages)

    for key in _TEXT_FIELDS:
        bad = control_characters(getattr(spec, key) or "")
        if bad:
            refuse(key, _("含有不可见的控制字符（%s），请删除后重试。") % ", ".join(bad[:5]))
    if any(control_characters(alias) for alias in spec.aliases):
        refuse("aliases", _("含有不可见的控制字符，请删除后重试。"))
    if errors:  # nothing below can be trusted to handle such text
        raise ValidationError(errors)
    try:
        slug = normalise_slug(spec.slug)
    except ValidationError as exc:
        refuse("slug", *exc.messages)
        slug = ""
    parent = None
    if spec.parent_slug:
        parent = Site.objects.filter(slug=spec.parent_slug.strip().lower()).first()
        if parent is None:
            refuse("parent", _("上级站点“%s”不存在。") % shorten(spec.parent_slug))
    site = Site(
        schema_name=schema_name_for(slug) if slug else "",
        name=spec.name.strip(),
        slug=slug,
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
        refuse("kind", _("平台站点只能有一个，不能再创建。"))
    try:
        site.full_clean(exclude=["slug", "schema_name"] if not slug else None)
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            refuse(key, *messages)
    if slug and (Site.objects.filter(schema_name__iexact=site.schema_name).exists() or schema_exists(site.schema_name)):
        refuse("slug", _("站点代号“%s”已被使用。") % slug)
    given = [spec.domain or (default_domain(slug) if slug else ""), *spec.aliases]
    domains = [normalise_hostname(d) for d in given if normalise_hostname(d)]
    for domain in domains:
        refuse("domain", *domain_problems(domain))
    if len(set(domains)) != len(domains):
        refuse("domain", _("域名重复。"))
    if errors:
        raise ValidationError({key: sorted(set(value)) for key, value in errors.items()})
    return site, domains


def domain_problems(domain: str, site: Site | None = None) -> list[str]:
    """Why ``domain`` cannot answer for ``site`` (a site being created when None); [] when it can.

    The one domain rule for provisioning and the console: a valid host name (never an IP address),
    not taken, and not the ``www.`` twin of another site's domain (routing would mix the two up)."""
    domain = normalise_hostname(domain)
    try:
        validate_hostname(domain)
    except ValidationError as exc:
        return list(exc.messages)
    problems = []
    if Domain.objects.filter(domain=domain).exists():
        problems.append(_("域名“%s”已被其他站点使用。") % domain)
    twins = Domain.objects.filter(domain=www_twin(domain)).select_related("tenant")
    twin = (twins.exclude(tenant_id=site.pk) if site is not None and site.pk else twins).first()
    if twin is not None:
        message = _(
            "域名“%(domain)s”与站点“%(site)s”的域名“%(twin)s”只差 www.，访问时会被当作同一个网站；"
            "请把这两个域名放在同一个站点上。"
        )
        problems.append(message % {"domain": domain, "site": twin.tenant.name, "twin": twin.domain})
    return problems


def provision_site(spec: SiteSpec, *, method: str = "template", by=None) -> ProvisionResult:
    """Create a site. ``method="template"`` claims a spare (or replays the template);
    ``method="replay"`` always replays (to measure it); ``method="migrate"`` runs every migration
    (slow; kept to measure against). ``ProvisionResult.method`` says what was actually done.

    The template is made ready *before* the site's transaction: after a deploy that adds a migration
    it is rebuilt by running migrations, which cannot happen inside another transaction. A concurrent
    builder is waited for (see ``ensure_template``), so provisioning during a deploy waits, never fails.
    """
    connection.set_schema_to_public()
    started = time.perf_counter()
    site, domains = build_site(spec)
    used = "template" if method == "replay" else method
    template = ensure_template() if method in ("template", "replay") else None
    if method == "migrate":
        _create_schema_by_migrations(site.schema_name)
    try:
        with transaction.atomic():
            if template is not None:
                if method == "template" and claim_spare(template.state_hash, site.schema_name):
                    used = "pool"
                else:
                    replay_template(template, site.schema_name)
                site.migration_state = template.state_hash
            else:
                site.migration_state = migration_state_hash()
            site.save()
            for index, domain in enumerate(domains):
                Domain.objects.create(domain=domain, tenant=site, is_primary=index == 0)
            with schema_context(site.schema_name):
                build_skeleton(site_name=site.name, hostname=domains[0], kind=site.kind)
            sync_review_chain(site, by=by)
            record("provision", actor=by, site=site, obj=site, method=used, domains=domains)
            site_changed_on_commit(site.pk, "created")
    except BaseException:
        if method == "migrate":
            with connection.cursor() as cursor:
                cursor.execute(f'DROP SCHEMA IF EXISTS "{site.schema_name}" CASCADE')
        raise
    PROVISIONED.labels(method=used).inc()
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
