"""Keep ``SiteStats`` current: a publish, an unpublish (also sent before a live page is deleted)
or a review starting/ending on a site refreshes that site's row, in that site's schema."""

from __future__ import annotations

from django.dispatch import receiver
from wagtail.signals import (
    page_published,
    page_unpublished,
    workflow_approved,
    workflow_cancelled,
    workflow_rejected,
    workflow_submitted,
)

from console.stats import refresh_current_schema


@receiver(page_published, dispatch_uid="console.stats.publish")
def on_publish(sender, instance, **kwargs) -> None:
    refresh_current_schema()


@receiver(page_unpublished, dispatch_uid="console.stats.unpublish")
def on_unpublish(sender, instance, **kwargs) -> None:
    refresh_current_schema(exclude_page_id=instance.pk)


@receiver(workflow_submitted, dispatch_uid="console.stats.submit")
@receiver(workflow_approved, dispatch_uid="console.stats.approve")
@receiver(workflow_rejected, dispatch_uid="console.stats.reject")
@receiver(workflow_cancelled, dispatch_uid="console.stats.cancel")
def on_workflow(sender, instance, **kwargs) -> None:
    refresh_current_schema()
