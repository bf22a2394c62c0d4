"""Keep derived reviewers in step with the registry: role changes and site changes (re-parenting,
``review_by``) re-run ``chain.sync_*``."""

from __future__ import annotations

from django.contrib import messages
from django.db.models.signals import post_init, post_save
from django.dispatch import receiver
from django.utils.translation import gettext as _
from wagtail.signals import workflow_approved, workflow_rejected

from audit.middleware import current_request
from identity.events import role_changed
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


def _tell(text: str) -> None:
    """A confirmation for the person who decided, wherever they did it (queue or Wagtail's own screen)."""
    request = current_request()
    if request is not None and hasattr(request, "_messages"):
        messages.success(request, text)


@receiver(workflow_approved, dispatch_uid="review.approved_message")
def on_approved(sender, instance, user=None, **kwargs) -> None:
    _tell(_("已审核通过“%s”，已发布。") % instance.content_object.get_admin_display_title())


@receiver(workflow_rejected, dispatch_uid="review.rejected_message")
def on_rejected(sender, instance, user=None, **kwargs) -> None:
    _tell(_("已退回“%s”，报送人将看到您的修改意见。") % instance.content_object.get_admin_display_title())
