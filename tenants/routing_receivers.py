"""What empties the routing cache (``tenants.routing``) and the per-schema content types.

Connected in ``TenantsConfig.ready``. Saves through the ORM are caught here even when no service sent
``site_changed`` (a shell, a data migration); a raw ``UPDATE`` is not, so services announce their
changes with ``site_changed`` as well.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django_tenants.utils import get_public_schema_name, schema_context
from wagtail.models import Page
from wagtail.models import Site as WagtailSite

from tenants import routing
from tenants.contenttype_cache import SchemaContentTypeCache
from tenants.current import current_site_id
from tenants.events import site_changed
from tenants.models import Domain, Site

# A site's schema is (re)filled on these changes: content type ids read before may be stale.
_SCHEMA_REPLACED = {"created", "archived", "reopened"}


@receiver(site_changed, dispatch_uid="zq-routing-site-changed")
def _site_changed(sender, site_id: int, change: str, **kwargs) -> None:
    routing.forget_site(site_id)
    if change in _SCHEMA_REPLACED and isinstance(ContentType.objects._cache, SchemaContentTypeCache):
        with schema_context(get_public_schema_name()):
            schema = Site.objects.filter(pk=site_id).values_list("schema_name", flat=True).first()
        if schema:
            ContentType.objects._cache.forget_schema(schema)


@receiver(post_save, sender=Site, dispatch_uid="zq-routing-site-saved")
@receiver(post_delete, sender=Site, dispatch_uid="zq-routing-site-deleted")
def _site_saved(sender, instance: Site, **kwargs) -> None:
    routing.forget_site(instance.pk)


@receiver(pre_save, sender=Domain, dispatch_uid="zq-routing-domain-renaming")
def _domain_renaming(sender, instance: Domain, **kwargs) -> None:
    if routing.enabled() and instance.pk:
        instance._zq_old_domain = Domain.objects.filter(pk=instance.pk).values_list("domain", flat=True).first()


@receiver(post_save, sender=Domain, dispatch_uid="zq-routing-domain-saved")
@receiver(post_delete, sender=Domain, dispatch_uid="zq-routing-domain-deleted")
def _domain_saved(sender, instance: Domain, **kwargs) -> None:
    extra = [instance.domain, getattr(instance, "_zq_old_domain", None) or ""]
    routing.forget_site(instance.tenant_id, extra)


def forget_current_site() -> None:
    """The routes of the site whose schema the connection is on (its Wagtail site or root changed)."""
    if routing.enabled() and (site_id := current_site_id()) is not None:
        routing.forget_site(site_id)


@receiver(post_save, sender=WagtailSite, dispatch_uid="zq-routing-wagtail-site-saved")
@receiver(post_delete, sender=WagtailSite, dispatch_uid="zq-routing-wagtail-site-deleted")
def _wagtail_site_saved(sender, instance, **kwargs) -> None:
    forget_current_site()


@receiver(post_save, dispatch_uid="zq-routing-root-page-saved")
def _root_page_saved(sender, instance, **kwargs) -> None:
    """A page at the top of the tree may be a Wagtail site's root (held in the cached entry)."""
    if isinstance(instance, Page) and (instance.depth or 99) <= 2:
        forget_current_site()
