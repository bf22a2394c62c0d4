"""Scheduled closure work (registered with ``jobs.scheduler``): archive completed closures whose
retention period has passed (``archive_site`` by hand did it before), so no closed site's schema
lingers because nobody remembered the date."""

from __future__ import annotations

import datetime

from django.utils import timezone

from jobs.scheduler import register
from tenants.closure.archive import archive, retention_ends
from tenants.closure.models import Closure, ClosureStatus


def due_for_archive(now: datetime.datetime) -> list[Closure]:
    completed = Closure.objects.filter(status=ClosureStatus.COMPLETED).select_related("site", "target")
    return [closure for closure in completed if (ends := retention_ends(closure)) is not None and ends <= now]


@register("closure_archive", every=datetime.timedelta(hours=1), title="归档保留期已满的关停站点")
def archive_expired_closures() -> str:
    done, failed = [], []
    for closure in due_for_archive(timezone.now()):
        try:
            archive(closure, by="scheduler")
            done.append(closure.site.slug)
        except Exception as exc:  # noqa: BLE001 - one site's failure must not stop the others
            failed.append(f"{closure.site.slug}: {exc}")
    if failed:
        raise RuntimeError("；".join(failed) + (f"（已归档：{', '.join(done)}）" if done else ""))
    return f"已归档 {len(done)} 个站点" + (f"：{', '.join(done)}" if done else "")
