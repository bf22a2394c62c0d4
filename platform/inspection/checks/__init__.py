"""The registry of inspection checks: one module per indicator family, each registering a function
that looks at one site and returns findings. A finding is either a veto (单项否决: fails the site
whatever its score) or a deduction from the national 100-point form, and always says where to fix.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from django.utils import timezone

from tenants.models import Site

VETO = "veto"
DEDUCTION = "deduction"


@dataclass
class Finding:
    indicator: str  # stable key, e.g. "columns_empty": alerts compare runs by it
    title: str  # the indicator's Chinese name (站点无法访问, 栏目不更新 …)
    severity: str  # VETO or DEDUCTION
    message: str  # what is wrong, in Chinese
    url: str = ""  # the page (or admin screen) where to fix it
    points: int = 0  # deducted from 100 (deductions only)

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class Context:
    """What every check of one run may read: the site, the time, and the home page probe."""

    site: Site
    now: datetime.datetime
    probe: dict = field(default_factory=dict)  # {"ok", "status", "seconds", "html"}

    @property
    def today(self) -> datetime.date:
        return timezone.localtime(self.now).date()  # dates shown on pages are local (Asia/Shanghai)


Check = Callable[[Context], list[Finding]]
_checks: dict[str, Check] = {}


def check(name: str) -> Callable[[Check], Check]:
    """Register an inspection check (decorator)."""

    def decorate(func: Check) -> Check:
        _checks[name] = func
        return func

    return decorate


def registered() -> list[tuple[str, Check]]:
    return list(_checks.items())
