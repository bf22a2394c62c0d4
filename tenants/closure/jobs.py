"""Running a long closure step (execute, verify) away from the request that started it, through
``zhanqun.lib.background``: the step writes its progress to the ``Closure`` row, which the console
polls. Every step is resumable (execute keeps a ledger; verify re-crawls), so a step lost with its
process is recovered by starting it again."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from tenants.closure import execute as execute_step
from tenants.closure import verify as verify_step
from tenants.closure.models import Closure
from zhanqun.lib import background

logger = logging.getLogger(__name__)

STEPS: dict[str, Callable[..., object]] = {
    "execute": execute_step.execute,
    "verify": verify_step.verify,
}


def run_step(closure_id: int, step: str, by: str) -> None:
    """Run one step to its end, recording a failure on the closure instead of raising it."""
    connection.set_schema_to_public()
    closure = Closure.objects.get(pk=closure_id)
    Closure.objects.filter(pk=closure_id).update(last_error="", step=step)
    try:
        STEPS[step](closure, by=by)  # each step writes its own progress to the Closure row
    except (ValidationError, PermissionDenied) as exc:  # a refusal: the step's own Chinese message
        message = "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        Closure.objects.filter(pk=closure_id).update(last_error=message[:2000])
        if background.runs_inline():
            raise
    except Exception as exc:  # noqa: BLE001 - the operator sees the reason in the console
        logger.exception("closure %s step %s failed", closure_id, step)
        Closure.objects.filter(pk=closure_id).update(last_error=f"{type(exc).__name__}: {exc}"[:2000])
        if background.runs_inline():
            raise


def _key(closure_id: int, step: str = "") -> str:
    return f"closure-{closure_id}:{step}"


def is_running(closure_id: int, step: str | None = None) -> bool:
    return background.is_running(_key(closure_id, step or ""))


def start(closure: Closure, step: str, by: str) -> bool:
    """Start ``step`` for ``closure``; False when it is already queued or running."""
    if step not in STEPS:
        raise ValueError(step)
    return background.start(_key(closure.pk, step), run_step, closure.pk, step, by)
