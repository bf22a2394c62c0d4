"""Running an inspection: probe, every registered check, a verdict and score, the run kept for
history, and an alert when a site starts failing an indicator it passed last time."""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from interaction.notifications import staff_addresses

from audit import log as audit_log
from identity.models import Account
from inspection.checks import (  # noqa: F401 - register the checks
    VETO,
    Context,
    external_links,
    freshness,
    identity,
    interaction,
    links,
    registered,
    service_guides,
)
from inspection.checks import availability as availability_check
from inspection.models import InspectionRun, Verdict
from tenants.addresses import root_url, site_root
from tenants.models import Site, SiteStatus

logger = logging.getLogger(__name__)


def inspectable_sites():
    """Running sites (closing/closed/suspended sites are not held to the national rules)."""
    return Site.objects.exclude(schema_name="public").filter(status=SiteStatus.ACTIVE).order_by("pk")


def run_inspection(site: Site, now=None, *, tell_operators: bool = True) -> InspectionRun:
    """Inspect one site now and keep the run. A pass over many sites (``inspect_sites``) leaves the
    operators' mail to one digest at its end (``tell_operators=False``)."""
    now = now or timezone.now()
    previous = InspectionRun.objects.filter(site=site).order_by("-started").first()
    probe = availability_check.probe_home(site)
    ctx = Context(site=site, now=now, probe=probe)
    findings, broken_checks = [], []
    for name, func in registered():
        try:
            with transaction.atomic():  # a check's database error must not abort the run's transaction
                findings.extend(func(ctx))
        except Exception:  # noqa: BLE001 - one broken check must not hide the others' results
            logger.exception("inspection check %s failed on %s", name, site.slug)
            broken_checks.append(name)
        finally:
            connection.set_schema_to_public()
    failing = sorted({f.indicator for f in findings if f.severity == VETO})
    score = max(0, 100 - sum(f.points for f in findings if f.severity != VETO))
    verdict = Verdict.FAIL if failing or score < settings.ZQ_INSPECT_PASS_SCORE else Verdict.PASS
    newest = freshness.newest_item(site)
    connection.set_schema_to_public()
    probe_kept = {key: value for key, value in probe.items() if key != "html"}
    run = InspectionRun.objects.create(
        site=site,
        started=now,
        finished=timezone.now(),
        verdict=verdict,
        score=score,
        failing=failing,
        details={
            "findings": [f.as_dict() for f in findings],
            "probe": probe_kept,
            "newest_item": _iso(newest),
            "broken_checks": broken_checks,
        },
    )
    newly = [f for f in findings if f.severity == VETO and f.indicator not in (previous.failing if previous else [])]
    if newly:
        run.details["newly_failing"] = [f.as_dict() for f in newly]
        run.save(update_fields=["details"])
        alert(site, run, newly, tell_operators=tell_operators)
    return run


def _iso(day) -> str | None:
    return day.isoformat() if day else None


def operator_addresses() -> list[str]:
    """The platform operators (平台运维人员: accounts with operator rights, active) who have an address."""
    accounts = Account.objects.filter(is_operator=True, is_active=True).exclude(email="")
    return sorted(set(accounts.values_list("email", flat=True)))


def alert(site: Site, run: InspectionRun, findings, *, tell_operators: bool = True) -> None:
    """Tell the site's editors and the platform operators (email; the operators also in the audit
    log, which the console shows) that the site started failing these indicators. Two mails, so
    neither audience sees the other's addresses; the operators' only when asked (a pass over many
    sites sends them one digest instead, ``alert_operators``)."""
    titles = "、".join(sorted({str(f.title) for f in findings}))
    audit_log.record("inspection.failing", site=site, obj=run, indicators=[f.indicator for f in findings])
    subject = _("【网站普查】%(site)s未通过：%(titles)s") % {"site": site.name, "titles": titles}
    lines = "\n".join(f"- {f.title}：{f.message}（{root_url(site)}{f.url}）" for f in findings)
    facts = {"site": site.name, "time": timezone.localtime(run.started).strftime("%Y-%m-%d %H:%M"), "lines": lines}
    editors = _("%(site)s在%(time)s的网站普查中新出现单项否决问题：\n%(lines)s\n请尽快整改。") % facts
    operators = _("站群中的%(site)s在%(time)s的网站普查中新出现单项否决问题：\n%(lines)s\n普查详情：%(console)s") % {
        **facts,
        "console": _console_url(site),
    }
    _send(site, subject, editors, staff_addresses(site))
    if tell_operators:
        _send(site, subject, operators, operator_addresses())


def _console_url(site: Site) -> str:
    return f"{site_root(settings.PLATFORM_DOMAIN)}{reverse('inspection_site', args=[site.pk])}"


def alert_operators(runs: Iterable[InspectionRun]) -> None:
    """One mail to the operators for a whole pass, naming every site that started failing in it: a
    new rule or an outage can make hundreds of sites fail at once, and a mail per site would bury
    the console's operators (each site's editors still get their own mail at once)."""
    newly = [run for run in runs if run.details.get("newly_failing")]
    recipients = operator_addresses()
    if not newly or not recipients:
        return
    blocks = []
    for run in newly:
        titles = "、".join(sorted({item["title"] for item in run.details["newly_failing"]}))
        blocks.append(f"- {run.site.name}：{titles}（{_console_url(run.site)}）")
    subject = _("【网站普查】本轮新增%(count)d个站点未通过") % {"count": len(newly)}
    body = _("本轮网站普查中以下站点新出现单项否决问题：\n%(lines)s") % {"lines": "\n".join(blocks)}
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    except Exception:  # noqa: BLE001 - a mail outage must not lose the runs
        logger.exception("inspection digest mail failed")


def _send(site: Site, subject: str, body: str, recipients: list[str]) -> None:
    if not recipients:
        return
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    except Exception:  # noqa: BLE001 - a mail outage must not lose the run
        logger.exception("inspection alert mail for %s failed", site.slug)


def inspect_sites(sites: Iterable[Site], progress=lambda _site: None) -> list[InspectionRun]:
    """Inspect every site once. ``ZQ_INSPECT_WORKERS`` threads share the list, each at CPU niceness
    ``ZQ_INSPECT_NICE``, so the web servers on the same machine keep their share of the CPU (one
    thread by default: in-process checks hold the GIL, and more threads only paid off for probes
    waiting on HTTP). A site whose inspection errors is logged and left out; the others still get
    their run."""
    runs = _inspect_all(list(sites), progress)
    alert_operators(runs)
    return runs


def _inspect_all(sites: list[Site], progress) -> list[InspectionRun]:
    started = time.monotonic()
    workers = min(settings.ZQ_INSPECT_WORKERS, len(sites))
    if workers <= 0:
        return [run for run in (_inspect_one(site, progress, started) for site in sites) if run is not None]
    runs: list[InspectionRun | None] = [None] * len(sites)
    queue = iter(enumerate(sites))
    lock = threading.Lock()

    def work() -> None:
        _lower_priority(settings.ZQ_INSPECT_NICE)
        try:
            while True:
                with lock:
                    index, site = next(queue, (None, None))
                if site is None:
                    return
                runs[index] = _inspect_one(site, progress, started, lock)
        finally:
            connection.close()  # each thread's own database connection

    threads = [threading.Thread(target=work, name=f"inspection-{n}", daemon=True) for n in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return [run for run in runs if run is not None]


def _inspect_one(site: Site, progress, pass_started: float, lock: threading.Lock | None = None) -> InspectionRun | None:
    working = time.monotonic()
    try:
        run = run_inspection(site, tell_operators=False)
    except Exception:  # noqa: BLE001 - one site's error must not cost the other sites their runs
        logger.exception("inspection of %s failed", site.slug)
        connection.set_schema_to_public()
        run = None
    if lock is None:
        progress(site)
    else:
        with lock:
            progress(site)
    _pause(time.monotonic() - working, pass_started)
    return run


def _pause(worked: float, pass_started: float) -> None:
    """Rest after each site so the pass works only ``ZQ_INSPECT_DUTY`` of its time. Why: on a small
    machine the web server, PostgreSQL and the inspection share the cores, and niceness lowers only
    the inspecting process, not the database work it causes; spreading a 3-minute pass over ~7 leaves
    the public pages most of the machine. A pass already longer than ``ZQ_INSPECT_PASS_MINUTES`` stops
    resting, so the cluster is still covered in time as it grows."""
    duty = settings.ZQ_INSPECT_DUTY
    if not 0 < duty < 1 or time.monotonic() - pass_started > 60 * settings.ZQ_INSPECT_PASS_MINUTES:
        return
    time.sleep(worked * (1 / duty - 1))


def _lower_priority(nice: int) -> None:
    """Lower this thread's CPU priority (Linux: a thread has its own nice value)."""
    if nice <= 0 or not hasattr(os, "setpriority"):
        return
    try:
        tid = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, tid, max(os.getpriority(os.PRIO_PROCESS, tid), nice))
    except OSError:
        logger.warning("could not lower the inspection thread's priority")
