"""Archive (关停上移, last step): after the retention period, X's schema goes to storage and is dropped.

The dump is ``pg_dump -n <schema>`` made the way the site template is made
(``tenants.lib.schema_dump.dump_schema``: plain SQL with INSERTs, the schema name replaced by a
placeholder), gzip'd, and stored on the ``closure_archives`` storage (S3 when configured, a local
folder otherwise) next to a JSON manifest holding its SHA-256. The upload is read back and checked
before anything is dropped; only then, in one transaction, the schema is dropped and the closure
becomes ARCHIVED. X's tenant row and domains stay: routing answers its old URLs from the public
schema, so the redirects keep working.

``restore`` replays an archive as a new site (new slug and schema, default domain, parent P, active),
as ``schema_template.replay_template`` replays the template.
"""

from __future__ import annotations

import datetime
import gzip
import hashlib
import json

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context, schema_exists
from wagtail.models import Site as WagtailSite

from audit.log import record
from tenants.closure.models import Closure, ClosureStatus
from tenants.events import site_changed_on_commit
from tenants.lib.schema_dump import PLACEHOLDER, dump_schema
from tenants.models import Domain, Site, SiteStatus
from tenants.provisioning import SiteSpec, build_site

STORAGE_ALIAS = "closure_archives"
FORMAT = "zq-closure-archive/1"


def archive_storage() -> Storage:
    return storages[STORAGE_ALIAS]


def retention_ends(closure: Closure) -> datetime.datetime | None:
    if closure.completed_at is None:
        return None
    return closure.completed_at + datetime.timedelta(days=closure.retention_days)


def archive(closure: Closure, *, by, force_reason: str = "") -> Closure:
    """Dump X's schema to storage, check the stored copy, drop the schema; the closure is ARCHIVED.

    Refused before the retention period has passed unless ``force_reason`` says why (recorded)."""
    connection.set_schema_to_public()
    closure = Closure.objects.select_related("site", "target").get(pk=closure.pk)
    site = closure.site
    force_reason = (force_reason or "").strip()
    _check_archivable(closure, force_reason)
    try:
        sql = dump_schema(site.schema_name)
    except (RuntimeError, OSError) as exc:
        raise ValidationError(_("导出站点数据失败，未做任何更改：%s") % exc) from exc
    raw = sql.encode("utf-8")
    packed = gzip.compress(raw, mtime=0)
    sha256 = hashlib.sha256(packed).hexdigest()
    storage = archive_storage()
    stamp = timezone.now().strftime("%Y%m%dT%H%M%S")
    name = storage.save(f"{site.slug}/closure-{closure.pk}-{stamp}.sql.gz", ContentFile(packed))
    manifest_name = ""
    try:
        _check_stored(storage, name, sha256, len(raw))
        manifest = {
            "format": FORMAT,
            "closure": closure.pk,
            "site": {"slug": site.slug, "name": site.name, "schema": site.schema_name, "site_code": site.site_code},
            "target": closure.target.slug,
            "sha256": sha256,
            "bytes": len(packed),
            "sql_bytes": len(raw),
            "created_at": timezone.now().isoformat(),
            "force_reason": force_reason,
        }
        manifest_name = storage.save(f"{name}.json", ContentFile(json.dumps(manifest, ensure_ascii=False).encode()))
        with transaction.atomic():
            closure = Closure.objects.select_for_update().select_related("site", "target").get(pk=closure.pk)
            _check_archivable(closure, force_reason)
            with connection.cursor() as cursor:
                cursor.execute(f'DROP SCHEMA "{site.schema_name}" CASCADE')
            closure.status = ClosureStatus.ARCHIVED
            closure.archived_at = timezone.now()
            site_changed_on_commit(closure.site_id, "archived")
            closure.archive_key = name
            closure.archive_bytes = len(packed)
            closure.save(update_fields=["status", "archived_at", "archive_key", "archive_bytes", "updated_at"])
            record(
                "closure_archive", actor=by, site=site, obj=closure,
                key=name, sha256=sha256, bytes=len(packed), schema=site.schema_name,
                force_reason=force_reason or None, retention_ends=_iso(retention_ends(closure)),
            )  # fmt: skip
    except BaseException:
        for stored in (name, manifest_name):
            if stored:
                storage.delete(stored)
        raise
    return closure


def _check_archivable(closure: Closure, force_reason: str) -> None:
    if closure.status == ClosureStatus.ARCHIVED:
        raise ValidationError(_("该关停任务已归档。"))
    if closure.status != ClosureStatus.COMPLETED:
        raise ValidationError(_("关停任务处于“%s”状态，验证通过并完成后才能归档。") % closure.get_status_display())
    if closure.site.status != SiteStatus.CLOSED:
        raise ValidationError(_("站点“%s”未关停，不能归档。") % closure.site.name)
    if not schema_exists(closure.site.schema_name):
        raise ValidationError(_("站点“%s”的数据已不存在，无法归档。") % closure.site.name)
    ends = retention_ends(closure)
    if ends and timezone.now() < ends and not force_reason:
        raise ValidationError(
            _("保留期至 %(date)s 结束；如需提前归档，请填写原因。") % {"date": timezone.localdate(ends).isoformat()}
        )


def _check_stored(storage: Storage, name: str, sha256: str, sql_bytes: int) -> None:
    """Read the upload back: same SHA-256, and it unpacks to the dump's length."""
    with storage.open(name, "rb") as handle:
        stored = handle.read()
    if hashlib.sha256(stored).hexdigest() != sha256:
        raise ValidationError(_("归档文件上传后校验失败（SHA-256 不一致），站点数据未删除。"))
    if len(gzip.decompress(stored)) != sql_bytes:
        raise ValidationError(_("归档文件上传后无法完整解压，站点数据未删除。"))


def read_archive(closure: Closure) -> str:
    """The archived dump's SQL (with the placeholder), checked against its manifest's SHA-256."""
    if closure.status != ClosureStatus.ARCHIVED or not closure.archive_key:
        raise ValidationError(_("该关停任务没有归档文件。"))
    storage = archive_storage()
    try:
        with storage.open(f"{closure.archive_key}.json", "rb") as handle:
            manifest = json.loads(handle.read().decode("utf-8"))
        with storage.open(closure.archive_key, "rb") as handle:
            packed = handle.read()
    except (OSError, ValueError) as exc:
        raise ValidationError(
            _("无法读取归档文件“%(key)s”：%(error)s") % {"key": closure.archive_key, "error": exc}
        ) from exc
    if manifest.get("format") != FORMAT or hashlib.sha256(packed).hexdigest() != manifest.get("sha256"):
        raise ValidationError(_("归档文件“%s”校验失败（SHA-256 与清单不一致），未恢复。") % closure.archive_key)
    return gzip.decompress(packed).decode("utf-8")


def restore(closure: Closure, *, by, slug: str) -> Site:
    """Restore an archive as a new, active site under P with its own slug, schema and default domain.

    The new site carries X's name, kind, organiser and theme, not X's site code or filing numbers
    (those stay registered to the closed site)."""
    connection.set_schema_to_public()
    closure = Closure.objects.select_related("site", "target").get(pk=closure.pk)
    old = closure.site
    sql = read_archive(closure)
    spec = SiteSpec(
        name=old.name, slug=(slug or "").strip().lower(), kind=old.kind, parent_slug=closure.target.slug,
        theme=old.theme, organiser=old.organiser, operator=old.operator, contact=old.contact,
    )  # fmt: skip
    with transaction.atomic():
        site, domains = build_site(spec)
        with connection.cursor() as cursor:
            cursor.execute(sql.replace(PLACEHOLDER, site.schema_name))
        site.status = SiteStatus.ACTIVE
        site.save()
        site_changed_on_commit(site.pk, "created")
        for index, domain in enumerate(domains):
            Domain.objects.create(domain=domain, tenant=site, is_primary=index == 0)
        with schema_context(site.schema_name):
            _point_wagtail_site_at(domains[0])
        record(
            "closure_restore", actor=by, site=site, obj=closure,
            restored_from=old.slug, schema=site.schema_name, key=closure.archive_key, domains=domains,
        )  # fmt: skip
    return site


def _point_wagtail_site_at(hostname: str) -> None:
    WagtailSite.objects.filter(is_default_site=True).update(hostname=hostname, port=80)


def _iso(value: datetime.datetime | None) -> str | None:
    return value.isoformat() if value else None
