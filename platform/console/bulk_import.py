"""Creating sites from an uploaded CSV in the console, with progress and a report of bad rows.

Parsing and creation are ``tenants.bulk``'s (the same code as ``manage.py create_sites``); this
module only keeps the upload in a ``BulkImport`` row and walks it one row at a time so the page can
show progress, and a run cut short (the process restarted) resumes after its last finished row.
"""

from __future__ import annotations

import csv
import io
import logging
import tempfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from console.models import BulkImport, ImportStatus
from console.stats import refresh_site
from tenants import bulk
from tenants.provisioning import SiteSpec
from zhanqun.lib import background
from zhanqun.lib.spreadsheets import neutralise_formula

logger = logging.getLogger(__name__)

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000
# A running import whose row has not moved for this long lost its thread (process restart).
STALLED_SECONDS = 120



def parse(content: str) -> list[tuple[int, SiteSpec | bulk.RowError]]:
    """``tenants.bulk.read_specs`` over text (it reads a file path)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "sites.csv"
        path.write_text(content, encoding="utf-8")
        return bulk.read_specs(path)


def decode_upload(raw: bytes) -> str:
    """The upload as text, or a ValidationError an operator understands."""
    if len(raw) > MAX_BYTES:
        raise ValidationError(_("文件太大（上限 2 MB）。"))
    if not raw.strip():
        raise ValidationError(_("文件是空的。"))
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(_("文件不是 UTF-8 编码：请在 Excel 中“另存为 CSV UTF-8（逗号分隔）”。")) from None
    try:
        rows = parse(content)
    except (ValueError, csv.Error) as exc:
        raise ValidationError(str(exc)) from None
    if not rows:
        raise ValidationError(_("文件里没有站点行（第一行是列名）。"))
    if len(rows) > MAX_ROWS:
        raise ValidationError(_("一次最多导入 %d 行，请拆分文件。") % MAX_ROWS)
    return content


def start(filename: str, content: str, *, by: str) -> BulkImport:
    job = BulkImport.objects.create(filename=filename[:255], content=content, total=len(parse(content)),
                                    created_by=by)  # fmt: skip
    launch(job)
    return job


def is_stalled(job: BulkImport) -> bool:
    if job.status != ImportStatus.RUNNING:
        return False
    if background.is_running(_key(job.pk)):
        return False
    return (timezone.now() - job.updated_at).total_seconds() > STALLED_SECONDS


def _key(job_id: int) -> str:
    return f"bulk-import-{job_id}"


def launch(job: BulkImport) -> bool:
    """Run (or resume) ``job`` in the background (``zhanqun.lib.background``)."""
    return background.start(_key(job.pk), run, job.pk)


def run(job_id: int) -> None:
    """Create the rows after ``done``, saving the outcome of each row as soon as it is known."""
    connection.set_schema_to_public()
    job = BulkImport.objects.get(pk=job_id)
    if job.status == ImportStatus.DONE:
        return
    BulkImport.objects.filter(pk=job_id).update(status=ImportStatus.RUNNING, last_error="")
    try:
        for line, spec in parse(job.content)[job.done :]:
            created, errors = bulk.create_sites([(line, spec)], by=job.created_by)
            for result in created:
                refresh_site(result.site)
                job.created.append({"line": line, "slug": result.site.slug, "name": result.site.name,
                                    "domain": result.site.primary_domain})  # fmt: skip
            job.errors.extend({"line": error.line, "slug": error.slug, "message": error.message} for error in errors)
            job.done += 1
            connection.set_schema_to_public()
            BulkImport.objects.filter(pk=job_id).update(done=job.done, created=job.created, errors=job.errors,
                                                        updated_at=timezone.now())  # fmt: skip
    except Exception as exc:  # noqa: BLE001 - shown to the operator, who may resume the run
        logger.exception("bulk import %s failed", job_id)
        connection.set_schema_to_public()
        BulkImport.objects.filter(pk=job_id).update(
            status=ImportStatus.FAILED, last_error=f"{type(exc).__name__}: {exc}"
        )
        if background.runs_inline():
            raise
        return
    BulkImport.objects.filter(pk=job_id).update(status=ImportStatus.DONE, finished_at=timezone.now())


def _safe_cell(value) -> str:
    return neutralise_formula(str(value))


def error_report(job: BulkImport) -> bytes:
    """The bad rows as CSV (UTF-8 with BOM, so Excel opens it): line, slug, reason, and the row as
    uploaded, so it can be corrected and uploaded again."""
    original = {}
    reader = csv.reader(io.StringIO(job.content))
    header = next(reader, [])
    for line, row in enumerate(reader, start=2):
        original[line] = row
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow([_("行号"), _("站点代号"), _("原因"), *header])
    for error in job.errors:
        cells = [error["line"], error["slug"], error["message"], *original.get(error["line"], [])]
        writer.writerow([_safe_cell(cell) for cell in cells])
    return buffer.getvalue().encode("utf-8")
