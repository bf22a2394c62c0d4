"""Demo 年度报表: every running demo site gets last year's 《政府网站工作年度报表》 as a filled draft, and
the city portal's is published (its home page shows the link), so a newcomer sees both states.
Idempotent: a site that already has last year's report is left alone."""

from __future__ import annotations

from collections.abc import Callable

from annualreports import services

from tenants.models import Site, SiteKind, SiteStatus

DEMO_EDITS = {"head": "王建国", "reviewer": "李明", "filler": "张华", "phone": "027-12345678", "security_officer": True}


def load_annual_reports(sites: list[Site], log: Callable[[str], None] = print) -> None:
    year = services.default_year()
    for site in sites:
        site.refresh_from_db()
        if site.status == SiteStatus.CLOSED or services.site_report(site, year):
            continue
        report = services.fill_site_report(site, year, by="demo")
        services.edit_site_report(report, DEMO_EDITS, by="demo")
        if site.kind == SiteKind.CITY:
            services.publish_site_report(report, by="demo")
        log(f"已填报 {site.name} 的{year}年度政府网站工作年度报表（{report.get_status_display()}）")
