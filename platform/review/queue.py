"""The 待审核 queue: everything waiting for one reviewer, on every site they review.

Cost: one query per reviewed site schema (task states annotated with their page's column and
submitter) plus one query for library submissions, whatever the number of items.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import F, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Coalesce, Left, Length
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context
from wagtail.models import Page, TaskState

from identity.models import Account
from review import workdays
from review.chain import reviewed_sites
from shared_library.models import Resource, ResourceStatus
from tenants.models import Site

PAGE, LIBRARY = "page", "library"


@dataclass
class QueueItem:
    kind: str  # PAGE or LIBRARY
    site: Site
    item_id: int  # task state id (pages) or resource id (library)
    object_id: int  # page id or resource id
    title: str
    column: str
    submitter: str
    submitted_at: datetime.datetime
    working_days: int = 0
    overdue: bool = False

    @property
    def waiting(self) -> datetime.timedelta:
        return timezone.now() - self.submitted_at

    @property
    def waiting_text(self) -> str:
        minutes = int(self.waiting.total_seconds() // 60)
        days, rest = divmod(minutes, 24 * 60)
        hours, minutes = divmod(rest, 60)
        if days:
            return _("%(days)d天%(hours)d小时") % {"days": days, "hours": hours}
        if hours:
            return _("%(hours)d小时%(minutes)d分钟") % {"hours": hours, "minutes": minutes}
        return _("%(minutes)d分钟") % {"minutes": minutes}


def _page_items(site: Site) -> list[QueueItem]:
    """In-progress approval tasks of ``site``'s schema, in one query."""
    page_id = Cast("workflow_state__object_id", IntegerField())
    page_path = Page.objects.filter(pk=OuterRef("page_id")).values("path")[:1]
    column = Page.objects.filter(path=Left(OuterRef("page_path"), Length(OuterRef("page_path")) - Page.steplen))
    with schema_context(site.schema_name):
        rows = (
            TaskState.objects.filter(status=TaskState.STATUS_IN_PROGRESS, workflow_state__status="in_progress")
            .annotate(
                page_id=page_id,
                page_path=Subquery(page_path),
                column_title=Subquery(column.values("title")[:1]),
                submitter_name=Coalesce(F("workflow_state__requested_by__display_name"), Value("")),
                submitter_username=F("workflow_state__requested_by__username"),
                title=F("revision__object_str"),
                submitted_at=F("workflow_state__created_at"),
            )
            .values("pk", "page_id", "title", "column_title", "submitter_name", "submitter_username", "submitted_at")
            .order_by("workflow_state__created_at")
        )
        return [
            QueueItem(
                kind=PAGE,
                site=site,
                item_id=row["pk"],
                object_id=row["page_id"],
                title=row["title"],
                column=row["column_title"] or "",
                submitter=row["submitter_name"] or row["submitter_username"] or "",
                submitted_at=row["submitted_at"],
            )
            for row in rows
        ]


def _library_items(sites: list[Site]) -> list[QueueItem]:
    """Library resources submitted by the townships (sites reviewed by their parent) in ``sites``."""
    by_id = {site.pk: site for site in sites if site.reviewed_by_parent}
    if not by_id:
        return []
    resources = Resource.objects.filter(status=ResourceStatus.PENDING_REVIEW, source_site_id__in=by_id).order_by(
        "updated_at"
    )
    return [
        QueueItem(
            kind=LIBRARY,
            site=by_id[resource.source_site_id],
            item_id=resource.pk,
            object_id=resource.pk,
            title=resource.title,
            column=_("统一信息资源库"),
            submitter=resource.updated_by or resource.created_by,
            submitted_at=resource.updated_at,
        )
        for resource in resources
    ]


@dataclass
class OverdueItem:
    """Work of another app that is past its deadline on a reviewed site (the reviewer chases it)."""

    site: Site
    kind: str
    title: str
    url: str
    due_date: datetime.date


# Apps register a function(sites) -> list[OverdueItem] when they load (互动交流 does), so review
# imports none of them.
OVERDUE_SOURCES: list[Callable[[list[Site]], list[OverdueItem]]] = []


def overdue_elsewhere(account: Account) -> list[OverdueItem]:
    """Overdue items of every registered source on the sites ``account`` reviews, oldest deadline first."""
    sites = reviewed_sites(account)
    items = [item for source in OVERDUE_SOURCES for item in source(sites)] if sites else []
    return sorted(items, key=lambda item: item.due_date)


def review_queue(account: Account, *, today: datetime.date | None = None) -> list[QueueItem]:
    """Everything ``account`` may decide on, oldest first, each marked with its working-day wait."""
    today = today or timezone.localdate()
    sites = reviewed_sites(account)
    items: list[QueueItem] = []
    for site in sites:
        items += _page_items(site)
    items += _library_items(sites)
    for item in items:
        submitted = timezone.localtime(item.submitted_at).date()
        item.working_days = workdays.working_days_between(submitted, today)
        item.overdue = workdays.is_overdue(submitted, today)
    items.sort(key=lambda item: item.submitted_at)
    return items
