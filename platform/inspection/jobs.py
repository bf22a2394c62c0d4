"""网站普查 work started by hand from the console ("立即普查"): a job on the task queue
(``zhanqun.lib.background``), so the operator's request returns at once and any worker runs it."""

from __future__ import annotations

from inspection.services import run_inspection
from tenants.models import Site
from zhanqun.lib import background


def key(site_id: int) -> str:
    return f"inspection-site-{site_id}"


def inspect_site(site_id: int) -> None:
    """The job: one inspection of one site (gone or no longer running: nothing to do)."""
    site = Site.objects.filter(pk=site_id).first()
    if site is not None:
        run_inspection(site)


def start(site: Site) -> bool:
    """Queue one inspection of ``site``; False when one is already queued or running."""
    return background.start(key(site.pk), inspect_site, site.pk)


def is_running(site: Site) -> bool:
    return background.is_running(key(site.pk))
