"""Verification (关停上移, step "verify"): crawl every URL X served, on every one of X's domains.

A 301 row passes when each domain answers 301 to the planned new URL and following it (hop by hop,
at most ``MAX_HOPS``) ends in a 200 on P that shows the same title (the HTML ``<h1>`` or
``<title>``), or for files a non-empty body of the planned byte length when the plan recorded one
(``closure.plan["file_sizes"][path]``). A 410 row passes when each domain answers 410 with a link to
P. Results are kept per URL (``verify_state``/``verify_detail``) and as a report on the closure.
The closure completes only when every URL passed or was accepted, one by one, with a reason.
"""

from __future__ import annotations

import html
import re
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urljoin

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.encoding import iri_to_uri
from django.utils.translation import gettext as _

from audit.log import record
from tenants.closure.addresses import planned_redirect_expiry, site_domains
from tenants.closure.fetchers import ClientFetcher, Fetched, Fetcher, HttpFetcher
from tenants.closure.models import Closure, ClosureStatus, ClosureUrl, UrlKind, VerifyState

Progress = Callable[[int, int, str], None]
MAX_HOPS = 5
FILE_KINDS = {UrlKind.DOCUMENT, UrlKind.IMAGE, UrlKind.RENDITION}
VERIFIABLE = {ClosureStatus.REDIRECTING, ClosureStatus.COMPLETED, ClosureStatus.ARCHIVED}
FAILURES_KEPT = 500  # in the stored report; every failure stays on its ClosureUrl row
_SAVE_EVERY = 200


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def page_titles(body: bytes) -> list[str]:
    """The texts a reader sees as the page's title: every ``<h1>`` and the ``<title>``."""
    text = body.decode("utf-8", errors="replace")
    titles = [_text(m) for m in re.findall(r"<h1\b[^>]*>(.*?)</h1>", text, flags=re.S | re.I)]
    titles += [_text(m) for m in re.findall(r"<title\b[^>]*>(.*?)</title>", text, flags=re.S | re.I)]
    return [t for t in titles if t]


def shows_title(body: bytes, title: str, *, feed: bool = False) -> bool:
    """A page shows its own title (optionally followed by `` - <site>``). A feed on P is titled
    ``<P> - <column>``, so for feeds the old title must be one of the `` - ``-separated parts."""
    wanted = " ".join(title.split())
    for shown in page_titles(body):
        if shown == wanted or shown.startswith(f"{wanted} - "):
            return True
        if feed and wanted in [part.strip() for part in shown.split(" - ")]:
            return True
    return False


def links_to(body: bytes, domain: str) -> bool:
    return re.search(rf'href="[^"]*//{re.escape(domain)}[/"]', body.decode("utf-8", errors="replace")) is not None


@dataclass
class Target:
    """What checking one URL needs to know, read once before the crawl (so worker threads never
    touch the database)."""

    hosts: list[str]  # X's domains, the primary first
    scheme: str
    site_domain: str  # P's primary domain: a 410 page must link to it
    site_name: str
    file_sizes: dict[str, int]  # planned byte length per old path, when the plan recorded it


class _Crawl:
    """Per-run state: the fetcher, and the end of every redirect chain already followed."""

    def __init__(self, fetcher: Fetcher) -> None:
        self.fetcher = fetcher
        self.followed: dict[str, tuple[Fetched, str]] = {}
        self.requests = 0
        self._lock = threading.Lock()

    def get(self, url: str) -> Fetched:
        with self._lock:
            self.requests += 1
        return self.fetcher.get(url)

    def follow(self, url: str) -> tuple[Fetched, str]:
        """The final answer behind ``url`` and the URL that gave it (memoised: X's domains share it)."""
        if url not in self.followed:
            current, fetched = url, self.get(url)
            for _hop in range(MAX_HOPS):
                if fetched.status not in (301, 302, 303, 307, 308) or not fetched.location:
                    break
                current = urljoin(current, fetched.location)
                fetched = self.get(current)
            self.followed[url] = (fetched, current)
        return self.followed[url]


def check_url(crawl: _Crawl, row: ClosureUrl, target: Target) -> list[str]:
    """Every problem with one URL on every domain of X (empty: it passed)."""
    problems: list[str] = []
    redirects = bool(row.new_url) and row.status_code == 301
    expected_location = iri_to_uri(row.new_url) if redirects else ""
    path = iri_to_uri(row.path)
    for host in target.hosts:
        old = f"{target.scheme}://{host}{path}"
        answer = crawl.get(old)
        if not redirects:
            if answer.status != 410:
                problems.append(_("%(url)s：应返回 410，实际为 %(status)s") % {"url": old, "status": answer.status})
            elif not links_to(answer.body, target.site_domain):
                problems.append(_("%(url)s：410 页面没有指向%(site)s的链接") % {"url": old, "site": target.site_name})
            continue
        if answer.status != 301:
            problems.append(_("%(url)s：应返回 301，实际为 %(status)s") % {"url": old, "status": answer.status})
            continue
        if answer.location != expected_location:
            problems.append(
                _("%(url)s：跳转到 %(got)s，应为 %(want)s")
                % {"url": old, "got": answer.location, "want": expected_location}
            )
            continue
        problems.extend(_check_target(crawl, row, target, expected_location))
    return list(dict.fromkeys(problems))  # the same target problem once, not once per domain


def _check_target(crawl: _Crawl, row: ClosureUrl, target: Target, url: str) -> list[str]:
    final, final_url = crawl.follow(url)
    if final.status != 200:
        return [_("新地址 %(url)s 返回 %(status)s，应为 200") % {"url": final_url, "status": final.status}]
    if row.kind in FILE_KINDS:
        planned = target.file_sizes.get(row.path)
        if not final.body:
            return [_("新地址 %(url)s 的文件为空") % {"url": final_url}]
        if planned is not None and int(planned) != len(final.body):
            return [
                _("新地址 %(url)s 的文件大小为 %(got)s 字节，应为 %(want)s 字节")
                % {"url": final_url, "got": len(final.body), "want": planned}
            ]
        return []
    if row.title and not shows_title(final.body, row.title, feed=row.kind == UrlKind.FEED):
        shown = "、".join(page_titles(final.body)[:2]) or _("（无标题）")
        return [
            _("新地址 %(url)s 的标题为“%(got)s”，应为“%(want)s”") % {"url": final_url, "got": shown, "want": row.title}
        ]
    return []


def _checked(crawl: _Crawl, rows: list[ClosureUrl], target: Target, workers: int) -> Iterator[tuple[ClosureUrl, list]]:
    """(row, problems) as each URL is checked; over real HTTP, ``workers`` URLs at a time."""
    if workers <= 1:
        for row in rows:
            yield row, check_url(crawl, row, target)
            connection.set_schema_to_public()  # the in-process client switched to the sites' schemas
        return
    with ThreadPoolExecutor(max_workers=workers) as pool:
        yield from zip(rows, pool.map(lambda row: check_url(crawl, row, target), rows), strict=True)


def verify(
    closure: Closure,
    *,
    by,
    fetch: Fetcher | None = None,
    progress: Progress | None = None,
    scheme: str | None = None,
    workers: int = 1,
) -> dict:
    """Crawl every URL of ``closure`` on every domain of X; keep per-URL results and the report.

    ``fetch`` defaults to the in-process ``ClientFetcher``; pass ``HttpFetcher(base_url)`` to check
    the real server, ``workers`` URLs at a time (the in-process client checks one at a time).
    Completes the closure when nothing is left failing. Returns the report."""
    connection.set_schema_to_public()
    closure = Closure.objects.select_related("site", "target").get(pk=closure.pk)
    if closure.status not in VERIFIABLE:
        raise ValidationError(_("关停任务处于“%s”状态，迁移完成并开始跳转后才能验证。") % closure.get_status_display())
    started, started_at = time.perf_counter(), timezone.now()
    crawl = _Crawl(fetch or ClientFetcher())
    if not isinstance(crawl.fetcher, HttpFetcher):
        workers = 1
    target = Target(
        hosts=site_domains(closure.site),
        scheme=scheme or settings.ZQ_SITE_SCHEME,
        site_domain=closure.target.primary_domain,
        site_name=closure.target.name,
        file_sizes=dict(closure.plan.get("file_sizes") or {}),
    )
    rows = list(closure.urls.order_by("pk"))
    total, changed, failures = len(rows), [], []
    last_saved = time.monotonic()
    _set_progress(closure, 0, total)
    for done, (row, problems) in enumerate(_checked(crawl, rows, target, workers), start=1):
        _apply(row, problems)
        changed.append(row)
        if problems:
            failures.append({"path": row.path, "kind": row.kind, "detail": row.verify_detail})
        if len(changed) >= _SAVE_EVERY or time.monotonic() - last_saved > 1:
            _save(changed)
            _set_progress(closure, done, total)
            changed, last_saved = [], time.monotonic()
        if progress:
            progress(done, total, "verify")
    _save(changed)
    counts = {state: 0 for state in VerifyState.values}
    for row in rows:
        counts[row.verify_state] += 1
    report = {
        "started_at": started_at.isoformat(),
        "finished_at": timezone.now().isoformat(),
        "seconds": round(time.perf_counter() - started, 2),
        "by": _name(by),
        "fetcher": type(crawl.fetcher).__name__,
        "workers": workers,
        "hosts": target.hosts,
        "total": total,
        "passed": counts[VerifyState.PASSED],
        "failed": counts[VerifyState.FAILED],
        "accepted": counts[VerifyState.ACCEPTED],
        "requests": crawl.requests,
        "failures": failures[:FAILURES_KEPT],
    }
    with transaction.atomic():
        closure = Closure.objects.select_for_update().select_related("site", "target").get(pk=closure.pk)
        closure.verify_report = report
        closure.verified_at = timezone.now()
        closure.step, closure.progress_done, closure.progress_total = "", total, total
        closure.save(update_fields=["verify_report", "verified_at", "step", "progress_done", "progress_total"])
        record(
            "closure_verify", actor=by, site=closure.site, obj=closure,
            **{k: report[k] for k in ("total", "passed", "failed", "accepted", "seconds", "fetcher")},
        )  # fmt: skip
        complete_if_verified(closure, by=by)
    return report


def _apply(row: ClosureUrl, problems: list[str]) -> None:
    """A passing URL is PASSED (even if it had been accepted); a failing accepted one stays accepted."""
    row.verify_detail = "；".join(problems)[:1000]
    if not problems:
        row.verify_state = VerifyState.PASSED
    elif row.verify_state != VerifyState.ACCEPTED:
        row.verify_state = VerifyState.FAILED


def _save(rows: list[ClosureUrl]) -> None:
    if rows:
        ClosureUrl.objects.bulk_update(rows, ["verify_state", "verify_detail"])


def _set_progress(closure: Closure, done: int, total: int) -> None:
    Closure.objects.filter(pk=closure.pk).update(step="verify", progress_done=done, progress_total=total)


def _name(actor) -> str:
    return actor if isinstance(actor, str) else getattr(actor, "username", "") or str(actor or "")


def accept_exception(url: ClosureUrl, *, by, reason: str) -> None:
    """Accept one failing URL as an exception, with a reason; completes the closure if it was the last."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("请填写接受例外的原因。"))
    with transaction.atomic():
        url = ClosureUrl.objects.select_for_update().select_related("closure__site").get(pk=url.pk)
        closure = url.closure
        if closure.status not in VERIFIABLE:
            raise ValidationError(_("关停任务处于“%s”状态，不能接受例外。") % closure.get_status_display())
        if url.verify_state == VerifyState.PASSED:
            raise ValidationError(_("地址“%s”已通过验证，无需接受例外。") % url.path)
        url.verify_state = VerifyState.ACCEPTED
        url.accepted_reason = reason[:500]
        url.accepted_by = _name(by)[:150]
        url.save(update_fields=["verify_state", "accepted_reason", "accepted_by"])
        record("closure_exception", actor=by, site=closure.site, obj=closure, path=url.path, reason=reason)
        complete_if_verified(Closure.objects.select_for_update().get(pk=closure.pk), by=by)


def complete_if_verified(closure: Closure, *, by) -> bool:
    """REDIRECTING → COMPLETED once verification ran and no URL is left pending or failing.
    Records the planned end of the redirects (``redirect_expires_on``). Call inside a transaction."""
    if closure.status != ClosureStatus.REDIRECTING or closure.verified_at is None:
        return False
    if closure.urls.exclude(verify_state__in=[VerifyState.PASSED, VerifyState.ACCEPTED]).exists():
        return False
    closure.status = ClosureStatus.COMPLETED
    closure.completed_at = timezone.now()
    closure.redirect_expires_on = planned_redirect_expiry(closure)
    closure.save(update_fields=["status", "completed_at", "redirect_expires_on", "updated_at"])
    accepted = closure.urls.filter(verify_state=VerifyState.ACCEPTED).count()
    record(
        "closure_complete", actor=by, site=closure.site, obj=closure,
        accepted=accepted, redirect_expires_on=closure.redirect_expires_on.isoformat(),
    )  # fmt: skip
    return True
