"""A site's domains after it exists: add, remove, make primary, serve or redirect an alias.

Every change is one transaction and one ``domain_change`` audit event. A site always keeps exactly
one primary domain, and its own schema's Wagtail ``Site`` record follows the primary (Wagtail builds
page URLs, canonical links and previews from that hostname).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context
from wagtail.models import Site as WagtailSite

from audit.log import record
from tenants.events import site_changed_on_commit
from tenants.lib.hostnames import validate_hostname
from tenants.models import Domain, Site


def normalise(host: str) -> str:
    return (host or "").strip().lower().rstrip(".")


def check_available(host: str, *, site: Site | None = None) -> str:
    """The normalised hostname if ``site`` may use it; else a ValidationError saying why.

    Routing strips a leading ``www.`` before it looks a host up (django-tenants), so ``www.x`` and
    ``x`` are one entry: a ``www.`` domain is refused (it could never answer) and its bare form is
    what must be free."""
    host = normalise(host)
    validate_hostname(host)
    if host.startswith("www."):
        raise ValidationError(
            _("请填写不带 www 的域名“%(bare)s”：访问 www.%(bare)s 会自动由它应答。") % {"bare": host[4:]},
            code="www_prefix",
        )
    existing = Domain.objects.filter(domain=host).select_related("tenant").first()
    if existing is not None:
        if site is not None and existing.tenant_id == site.pk:
            raise ValidationError(_("域名“%s”已是本站域名。") % host, code="duplicate")
        raise ValidationError(
            _("域名“%(host)s”已被站点“%(site)s”使用。") % {"host": host, "site": existing.tenant.name},
            code="collision",
        )
    return host


def _audit(op: str, domain: Domain, *, by, request: HttpRequest | None, **details) -> None:
    site_changed_on_commit(domain.tenant_id, "domains")
    record("domain_change", actor=by, site=domain.tenant, obj=domain.tenant, request=request,
           op=op, domain=domain.domain, **details)  # fmt: skip


def _sync_wagtail_hostname(site: Site, hostname: str) -> None:
    """Saved (not ``update()``d) so Wagtail's signal clears its cached site root paths."""
    with schema_context(site.schema_name):
        for wagtail_site in WagtailSite.objects.filter(is_default_site=True):
            wagtail_site.hostname = hostname
            wagtail_site.save()


def _refuse_platform(site: Site) -> None:
    if site.is_platform:
        raise ValidationError(_("平台控制台的域名由部署配置（ZQ_PLATFORM_DOMAIN）决定，不能在此修改。"))


@transaction.atomic
def add_domain(site: Site, host: str, *, serve_alias: bool = False, by=None, request=None) -> Domain:
    """Add an alias (a site's first domain would be its primary, but provisioning always makes one)."""
    _refuse_platform(site)
    host = check_available(host, site=site)
    is_primary = not site.domains.exists()
    domain = Domain.objects.create(domain=host, tenant=site, is_primary=is_primary, serve_alias=serve_alias)
    _audit("add", domain, by=by, request=request, serve_alias=serve_alias)
    return domain


@transaction.atomic
def remove_domain(domain: Domain, *, by=None, request=None) -> None:
    _refuse_platform(domain.tenant)
    siblings = list(Domain.objects.select_for_update().filter(tenant_id=domain.tenant_id))  # no concurrent removal
    if domain.is_primary:
        raise ValidationError(_("不能删除主域名：请先把另一个域名设为主域名。"))
    if len(siblings) <= 1:
        raise ValidationError(_("不能删除站点的最后一个域名。"))
    _audit("remove", domain, by=by, request=request)
    domain.delete()


@transaction.atomic
def make_primary(domain: Domain, *, by=None, request=None) -> Domain:
    site = domain.tenant
    _refuse_platform(site)
    rows = list(Domain.objects.select_for_update().filter(tenant_id=site.pk))
    old = next((row.domain for row in rows if row.is_primary), "")
    if domain.is_primary:
        return domain
    Domain.objects.filter(tenant_id=site.pk).exclude(pk=domain.pk).update(is_primary=False)
    domain.is_primary = True
    domain.save(update_fields=["is_primary"])
    _sync_wagtail_hostname(site, domain.domain)
    _audit("make_primary", domain, by=by, request=request, previous=old)
    return domain


@transaction.atomic
def set_serve_alias(domain: Domain, serve: bool, *, by=None, request=None) -> Domain:
    _refuse_platform(domain.tenant)
    if domain.serve_alias != serve:
        domain.serve_alias = serve
        domain.save(update_fields=["serve_alias"])
        _audit("serve_alias" if serve else "redirect_alias", domain, by=by, request=request)
    return domain
