"""Overdue interaction items: the list the staff screens and the reviewer's queue show, and the
reminder emails (``manage.py interaction_overdue``)."""

from __future__ import annotations

from django.utils import timezone

from interaction.models import Item, ItemStatus
from interaction.notifications import notify_staff_overdue
from review.queue import OVERDUE_SOURCES, OverdueItem
from tenants.addresses import root_url
from tenants.models import Site


def overdue_items(sites, today=None):
    """Pending items of ``sites`` past their deadline, oldest deadline first."""
    today = today or timezone.localdate()
    return (
        Item.objects.filter(site__in=sites, status=ItemStatus.PENDING, due_date__lt=today)
        .select_related("site")
        .order_by("due_date")
    )


def _for_review_queue(sites: list[Site]) -> list[OverdueItem]:
    # The subject only: the writer's personal data stays on the handling site's screens.
    return [
        OverdueItem(
            site=item.site,
            kind=item.get_kind_display(),
            title=f"{item.number} {item.subject}",
            url=f"{root_url(item.site)}/admin/hudong/{item.pk}/",
            due_date=item.due_date,
        )
        for item in overdue_items(sites)
    ]


OVERDUE_SOURCES.append(_for_review_queue)


def remind_overdue(log=lambda _line: None) -> int:
    """Email each site's staff its overdue items (the daily scheduled job and ``interaction_overdue``);
    the number of sites reminded."""
    reminded = 0
    for site in Site.objects.exclude(schema_name="public"):
        items = list(overdue_items([site]))
        if items and notify_staff_overdue(site, items):
            reminded += 1
            log(f"{site.slug}: {len(items)}")
    return reminded
