"""Every change that purges a site's cached pages (connected in ``TenantsConfig.ready``).

- Wagtail, in the site's schema: a page published (a revision's publish included), unpublished,
  moved, renamed or deleted; the Wagtail site record, images, documents, page/collection view
  restrictions (privacy) and site settings saved or deleted.
- The library (``shared_library.events.resource_changed``): every site in ``site_ids``, i.e. the
  source and every site that showed or now shows the resource (syndication, withdrawal, deletion).
- The platform (``tenants.events.site_changed``, any change: theme, identity, domains, suspension,
  closure notice, closure, reopening) and direct saves of ``Site`` rows: the site, its parent and its
  children (their pages link to each other by name).
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django_tenants.utils import get_public_schema_name, schema_context
from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
from wagtail.documents.models import AbstractDocument
from wagtail.images.models import AbstractImage
from wagtail.models import BaseViewRestriction, Page
from wagtail.models import Site as WagtailSite
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from shared_library.events import resource_changed
from tenants.current import current_site_id
from tenants.events import site_changed
from tenants.models import Site
from tenants.pagecache import store


def purge_current_site() -> None:
    if store.enabled():
        store.purge([current_site_id()])


def purge_site_and_relatives(site_id: int) -> None:
    if not store.enabled():
        return
    with schema_context(get_public_schema_name()):
        parent = Site.objects.filter(pk=site_id).values_list("parent_id", flat=True).first()
        children = list(Site.objects.filter(parent_id=site_id).values_list("pk", flat=True))
    store.purge([site_id, parent, *children])


@receiver(page_published, dispatch_uid="zq-pagecache-published")
@receiver(page_unpublished, dispatch_uid="zq-pagecache-unpublished")
@receiver(post_page_move, dispatch_uid="zq-pagecache-moved")
@receiver(page_slug_changed, dispatch_uid="zq-pagecache-slug")
def _page_changed(sender, **kwargs) -> None:
    purge_current_site()


# Saved or deleted in a site's schema, these change what its public pages show (or who may see them:
# a page made private must stop being served from the cache at once).
_SHOWN = (WagtailSite, AbstractImage, AbstractDocument, BaseViewRestriction, BaseSiteSetting, BaseGenericSetting)


@receiver(post_delete, dispatch_uid="zq-pagecache-deleted")
@receiver(post_save, dispatch_uid="zq-pagecache-saved")
def _content_saved(sender, instance, **kwargs) -> None:
    """Deleted pages; Wagtail sites, images, documents, view restrictions and settings saved or deleted."""
    if isinstance(instance, _SHOWN):
        purge_current_site()
    elif isinstance(instance, Page) and kwargs.get("signal") is post_delete:
        purge_current_site()


@receiver(resource_changed, dispatch_uid="zq-pagecache-library")
def _resource_changed(sender, site_ids=(), **kwargs) -> None:
    if store.enabled():
        store.purge(site_ids)


@receiver(site_changed, dispatch_uid="zq-pagecache-site-changed")
def _site_changed(sender, site_id: int, **kwargs) -> None:
    purge_site_and_relatives(site_id)


@receiver(post_save, sender=Site, dispatch_uid="zq-pagecache-site-saved")
def _site_saved(sender, instance: Site, **kwargs) -> None:
    purge_site_and_relatives(instance.pk)
