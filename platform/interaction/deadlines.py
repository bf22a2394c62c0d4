"""Deadlines of interaction items in working days (the official calendar lives in ``review.workdays``)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone

from interaction.models import Item, ItemKind
from review import workdays


def disclosure_days() -> int:
    """《政府信息公开条例》第三十三条: 20 working days, once extendable by 20 with approval."""
    return int(getattr(settings, "ZQ_DISCLOSURE_WORKING_DAYS", 20))


def error_report_days() -> int:
    """找错 reports must be handled within 3 working days (国办 spot-check rules)."""
    return int(getattr(settings, "ZQ_ERROR_REPORT_WORKING_DAYS", 3))


def limit_for(item: Item) -> int:
    if item.kind == ItemKind.DISCLOSURE:
        return disclosure_days() * (2 if item.extended else 1)
    if item.kind == ItemKind.ERROR:
        return error_report_days()
    return item.mailbox.deadline_days if item.mailbox else 10


def due_date_for(item: Item) -> datetime.date:
    """The last working day on which ``item`` is still answered on time."""
    return workdays.add_working_days(timezone.localtime(item.received_at).date(), limit_for(item))


def working_days_taken(item: Item) -> int:
    """Working days from receipt to the answer (or to today while pending)."""
    end = timezone.localtime(item.answered_at).date() if item.answered_at else timezone.localdate()
    return workdays.working_days_between(timezone.localtime(item.received_at).date(), end)
