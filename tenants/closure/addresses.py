"""Closure's addresses: the section of P that received X, every host of a site, and how long the
redirects stay. Site roots come from ``tenants.addresses`` (one place for every absolute link), so the
410 page, verification and the national report name P identically."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone

from tenants.addresses import root_url, site_url
from tenants.closure.models import Closure
from tenants.models import Domain, Site


def section_url(closure: Closure) -> str:
    """The section of P that received X's pages (a column directly under P's home page), on the
    address the plan mapped every URL to."""
    root = closure.plan.get("target_root") or root_url(closure.target)
    return f"{root}/{closure.section_slug}/" if root and closure.section_slug else site_url(closure.target)


def site_domains(site: Site) -> list[str]:
    """Every host of a site, the primary first: verification crawls each, the report lists each."""
    rows = Domain.objects.filter(tenant=site).order_by("-is_primary", "domain").values_list("domain", flat=True)
    return list(rows)


def planned_redirect_expiry(closure: Closure) -> datetime.date | None:
    """When the redirect set is planned to end: recorded on the closure, else completion plus
    ``ZQ_CLOSURE_REDIRECT_DAYS``; None while the closure has not completed."""
    if closure.redirect_expires_on:
        return closure.redirect_expires_on
    if closure.completed_at is None:
        return None
    completed = timezone.localdate(closure.completed_at)
    return completed + datetime.timedelta(days=settings.ZQ_CLOSURE_REDIRECT_DAYS)


def redirects_expired(closure: Closure, today: datetime.date | None = None) -> bool:
    expiry = planned_redirect_expiry(closure)
    return bool(expiry and (today or timezone.localdate()) > expiry)
