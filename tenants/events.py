"""What the rest of the platform may want to know about a site, sent after the change is committed.

One signal, so the page cache, the search index and (later) inspection subscribe in one place instead
of each wrapping the console, closure and domain services. Receivers get ids, not models: the sender's
transaction is over and the receiver reads what it needs.

``site_changed`` kwargs: ``site_id`` (int) and ``change`` (str), one of ``SITE_CHANGES``.
"""

from __future__ import annotations

from django.db import transaction
from django.dispatch import Signal

site_changed = Signal()

SITE_CHANGES = (
    "created",
    "updated",  # name, theme, identity fields, parent
    "domains",  # a domain added, removed, made primary, alias serving switched
    "suspended",
    "resumed",
    "closing",  # closure notice period began
    "closed",  # closure executed: the site now redirects to its parent
    "reopened",  # closure rolled back
    "archived",
)


def site_changed_on_commit(site_id: int, change: str) -> None:
    """Send ``site_changed`` once the current transaction commits (at once outside one)."""
    if change not in SITE_CHANGES:
        raise ValueError(f"unknown site change {change!r}")
    transaction.on_commit(lambda: site_changed.send(sender="tenants.Site", site_id=site_id, change=change))
