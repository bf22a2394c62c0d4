"""Export one site into a backup archive (``bundle``): what the public sees of it and who runs it.

Members: ``site.json`` (the tenant row and its domains), ``schema.sql.gz`` (the schema, dumped by
``tenants.lib.schema_dump.dump_schema``, the platform's one dump function), ``media/<name>`` (its
files), ``library.json`` + ``library/<name>`` (the resources it contributed and those syndicated
to it, with versions, attachments, files and its syndications), ``people.json`` (the identity
accounts with a role on it, password hashes included, and those roles)."""

from __future__ import annotations

import gzip
from collections.abc import Callable
from pathlib import Path

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from audit.log import record
from identity.models import SiteRole
from shared_library.models import Attachment, Resource, ResourceVersion, Syndication
from shared_library.storage import library_storage
from tenants.backup.bundle import BundleWriter
from tenants.backup.files import read_site_file, site_files
from tenants.backup.records import to_record
from tenants.lib.schema_dump import dump_schema
from tenants.models import Domain, Site

Progress = Callable[[str, int], Callable[[], None]]  # (stage, total) -> tick


def _no_progress(_stage: str, _total: int) -> Callable[[], None]:
    return lambda: None


def export_site(site: Site, out: Path, *, by=None, progress: Progress = _no_progress) -> dict:
    """Write ``site``'s archive to ``out``; returns the manifest. A failure leaves no file behind."""
    connection.set_schema_to_public()
    writer = BundleWriter(out)
    try:
        tick = progress("数据库", 1)
        writer.add("schema.sql.gz", gzip.compress(dump_schema(site.schema_name).encode("utf-8"), mtime=0))
        tick()
        writer.add_json("site.json", _site_record(site))
        names = site_files(site.schema_name)
        tick = progress("站点文件", len(names))
        for name in names:
            writer.add(f"media/{name}", read_site_file(site.schema_name, name))
            tick()
        library, files = _library(site)
        writer.add_json("library.json", library)
        tick = progress("资源库附件", len(files))
        storage = library_storage()
        for name in files:
            with storage.open(name, "rb") as handle:
                writer.add(f"library/{name}", handle.read())
            tick()
        writer.add_json("people.json", _people(site))
        manifest = {
            "site": {"slug": site.slug, "name": site.name, "schema": site.schema_name},
            "created_at": timezone.now().isoformat(),
            "counts": {"files": len(names), "resources": len(library["resources"]),
                       "library_files": len(files), "roles": SiteRole.objects.filter(site=site).count()},
        }  # fmt: skip
        writer.close(manifest)
    except BaseException:
        writer.abort()
        raise
    record("site_backup", actor=by, site=site, obj=site, file=str(out), **manifest["counts"])
    return {**manifest, "members": writer.members}


def _site_record(site: Site) -> dict:
    return {
        "site": to_record(site),
        "parent_slug": site.parent.slug if site.parent_id else "",
        "domains": [
            {"domain": d.domain, "is_primary": d.is_primary}
            for d in Domain.objects.filter(tenant=site).order_by("-is_primary", "pk")
        ],
    }


def _library(site: Site) -> tuple[dict, list[str]]:
    resources = list(
        Resource.objects.filter(Q(source_site=site) | Q(syndications__site=site)).distinct().order_by("pk")
    )
    ids = [r.pk for r in resources]
    attachments = list(Attachment.objects.filter(resource_id__in=ids).order_by("pk"))
    sources = dict(Site.objects.filter(pk__in={r.source_site_id for r in resources if r.source_site_id})
                   .values_list("pk", "slug"))  # fmt: skip
    data = {
        "resources": [
            {**to_record(r), "topic_code": r.topic.code if r.topic_id else "",
             "genre_code": r.genre.code if r.genre_id else "", "source_slug": sources.get(r.source_site_id, "")}
            for r in resources
        ],  # fmt: skip
        "attachments": [to_record(a) for a in attachments],
        "versions": [to_record(v) for v in ResourceVersion.objects.filter(resource_id__in=ids).order_by("pk")],
        "syndications": [to_record(s) for s in Syndication.objects.filter(site=site).order_by("pk")],
    }
    return data, [a.file.name for a in attachments]


def _people(site: Site) -> dict:
    roles = list(SiteRole.objects.filter(site=site).select_related("account").order_by("pk"))
    accounts = {role.account for role in roles}
    return {
        "accounts": [
            {key: value for key, value in to_record(account).items() if key not in {"id", "is_operator"}}
            for account in sorted(accounts, key=lambda a: a.username)
        ],
        "roles": [{**to_record(role), "username": role.account.username} for role in roles],
    }

