"""Load on a live app server while its database restarts: what failed, when, how, and what was lost.

Readers GET a site's home page and writers POST the public 找错 form (each with a unique token in
its subject) on keep-alive connections, each request recorded with its start and end time (seconds
from the run's start) and its answer. ``summarise`` sets those against the restart's start and end:
requests/s before, during, after; the window in which requests failed; their status codes and
whether they carried the "database unavailable" page or a traceback. ``lost_writes`` compares the
tokens that got a success answer with the tokens stored in the database.

The writes are real form posts: a captcha solved from the store (the bench generated them), a CSRF
cookie and token of the bench's own (Django only compares the two), the flood limit off for the run.
Only loopback addresses are ever loaded.
"""

from __future__ import annotations

import collections
import http.client
import secrets
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

DATABASE_PAGE = "网站数据库暂时无法访问"  # tenants.web.errors.DATABASE_UNAVAILABLE's heading
RECEIVED_PAGE = "提交成功"  # interaction/received.html
TOKEN_PREFIX = "zq-restart-"
FORM_PATH = "/hudong/zhaocuo/"


@dataclass
class Outcome:
    kind: str  # "read" or "write"
    started: float
    ended: float
    status: int | None  # None: no HTTP answer at all (connection refused or reset)
    ok: bool
    database_page: bool = False
    traceback: bool = False
    token: str = ""


@dataclass
class Recorder:
    """Every request's outcome, appended from the load threads (list.append is atomic)."""

    t0: float = field(default_factory=time.monotonic)
    outcomes: list[Outcome] = field(default_factory=list)

    def now(self) -> float:
        return time.monotonic() - self.t0


Request = tuple[str, str, dict, bytes, str]  # kind, method, headers, body, token


def _loop(recorder: Recorder, base: str, stop: threading.Event, make: Callable[[], Request | None]) -> None:
    """One keep-alive connection sending ``make()``'s requests until ``stop``; a broken connection is
    replaced (as a browser would) and the attempt recorded as a failure without an answer."""
    parts = urlsplit(base)
    if parts.hostname not in {"127.0.0.1", "localhost", "::1"}:
        raise ValueError(f"refusing to load a non-loopback address: {base}")
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    while not stop.is_set():
        made = make()
        if made is None:  # writer out of captchas
            break
        kind, method, headers, body, token = made
        path = FORM_PATH if method == "POST" else "/"
        started = recorder.now()
        try:
            conn.request(method, path, body=body or None, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException):
            recorder.outcomes.append(Outcome(kind, started, recorder.now(), None, False, token=token))
            conn.close()
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
            continue
        ok = response.status == 200 and (kind == "read" or RECEIVED_PAGE in text)
        ended = recorder.now()
        flags = (DATABASE_PAGE in text, "Traceback" in text)
        recorder.outcomes.append(Outcome(kind, started, ended, response.status, ok, *flags, token=token))
    conn.close()


class Load:
    """Readers and writers against one site of a running server, started and stopped together."""

    def __init__(self, base: str, host: str, captchas: Iterable[tuple[str, str]], readers: int, writers: int):
        self.base, self.host = base, host
        self.captchas = collections.deque(captchas)
        self.csrf = secrets.token_hex(16)  # 32 characters: a CSRF secret of our own, cookie and form alike
        self.recorder = Recorder()
        self.stop = threading.Event()
        self.threads = [
            threading.Thread(target=_loop, args=(self.recorder, base, self.stop, self._read)) for _ in range(readers)
        ]
        self.threads += [
            threading.Thread(target=_loop, args=(self.recorder, base, self.stop, self._write)) for _ in range(writers)
        ]
        self.captchas_ran_out = False

    def _read(self) -> Request:
        return "read", "GET", {"Host": self.host}, b"", ""

    def _write(self) -> Request | None:
        try:
            hashkey, answer = self.captchas.popleft()
        except IndexError:
            self.captchas_ran_out = True
            return None
        token = f"{TOKEN_PREFIX}{uuid.uuid4().hex}"
        body = urlencode({
            "csrfmiddlewaretoken": self.csrf, "page_url": f"http://{self.host}/", "subject": token,
            "content": f"数据库重启测试写入 {token}", "name": "", "email": "",
            "captcha_0": hashkey, "captcha_1": answer,
        }).encode()  # fmt: skip
        headers = {
            "Host": self.host,
            "Cookie": f"csrftoken={self.csrf}",
            "Content-Type": "application/x-www-form-urlencoded",
        }
        return "write", "POST", headers, body, token

    def start(self) -> None:
        self.recorder.t0 = time.monotonic()
        for thread in self.threads:
            thread.start()

    def finish(self) -> list[Outcome]:
        self.stop.set()
        for thread in self.threads:
            thread.join()
        return self.recorder.outcomes


@dataclass
class Phase:
    name: str
    seconds: float
    reads: int
    writes: int
    failed: int

    @property
    def read_rate(self) -> float:
        return self.reads / self.seconds if self.seconds > 0 else 0.0

    @property
    def write_rate(self) -> float:
        return self.writes / self.seconds if self.seconds > 0 else 0.0


@dataclass
class Summary:
    phases: list[Phase]
    failures: list[Outcome]
    statuses: collections.Counter
    restart: tuple[float, float]

    @property
    def window(self) -> tuple[float, float] | None:
        if not self.failures:
            return None
        return min(o.started for o in self.failures), max(o.ended for o in self.failures)


def summarise(outcomes: list[Outcome], restart_started: float, restart_ended: float, end: float) -> Summary:
    """Each request counted in the phase it ended in; failures are every answer that was not a success."""
    bounds = [
        ("重启前", 0.0, restart_started),
        ("重启中", restart_started, restart_ended),
        ("重启后", restart_ended, end),
    ]
    phases = []
    for name, low, high in bounds:
        inside = [o for o in outcomes if low <= o.ended < high or (name == "重启后" and o.ended >= high)]
        phases.append(
            Phase(
                name,
                high - low,
                sum(o.kind == "read" and o.ok for o in inside),
                sum(o.kind == "write" and o.ok for o in inside),
                sum(not o.ok for o in inside),
            )
        )
    failures = [o for o in outcomes if not o.ok]
    statuses = collections.Counter("无应答" if o.status is None else str(o.status) for o in failures)
    return Summary(phases, failures, statuses, (restart_started, restart_ended))


def confirmed_tokens(outcomes: list[Outcome]) -> set[str]:
    return {o.token for o in outcomes if o.kind == "write" and o.ok}


def unconfirmed_tokens(outcomes: list[Outcome]) -> set[str]:
    return {o.token for o in outcomes if o.kind == "write" and not o.ok}
