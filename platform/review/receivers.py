"""Keep derived reviewers in step with the registry: role changes and site changes (re-parenting,
``review_by``) re-run ``chain.sync_*``."""

from __future__ import annotations

from django.db.models.signals import post_init, post_save
from django.dispatch import receiver

from identity.signals import role_changed
from review import chain
from tenants.models import Site


@receiver(role_changed, dispatch_uid="review.role_changed")
def on_role_changed(sender, account, site, by=None, request=None, **kwargs) -> None:
    chain.sync_around(site, by=by, request=request)


def _chain_key(site: Site) -> tuple:
    return (site.parent_id, site.review_by, site.status)


@receiver(post_init, sender=Site, dispatch_uid="review.site_loaded")
def remember_chain_key(sender, instance: Site, **kwargs) -> None:
    instance._review_chain_key = _chain_key(instance)


@receiver(post_save, sender=Site, dispatch_uid="review.site_saved")
def on_site_saved(sender, instance: Site, created: bool, **kwargs) -> None:
    """New sites are synced by provisioning once their schema has its skeleton."""
    before = getattr(instance, "_review_chain_key", None)
    instance._review_chain_key = _chain_key(instance)
    if created or before == instance._review_chain_key:
        return
    chain.sync_site(instance)
