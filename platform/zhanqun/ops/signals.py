"""Counts site changes for the metrics (created, closed, archived …) from the one event they send."""

from __future__ import annotations

from django.dispatch import receiver

from tenants.events import site_changed
from zhanqun.ops.metrics import SITE_CHANGES


@receiver(site_changed, dispatch_uid="zhanqun.ops.count_site_changes")
def count_site_changes(sender, site_id: int, change: str, **kwargs) -> None:
    SITE_CHANGES.labels(change=change).inc()
