"""Restore a backup archive as a site of this platform (the same platform or a fresh one).

All checks first (every member's SHA-256, the slug, the domains), then one database transaction:
the schema replayed under the site's (new) schema name, the tenant row and domains, the library
items (an item already here, by index number, is linked rather than duplicated; a new one keeps its
id when that id is free, so ``/library/<id>/`` links in the pages still work), the people (an
account already here keeps its password; a new one gets the archived hash) and their roles, then
the files. If anything fails, the transaction is rolled back and the files written are removed:
nothing half-made. Other sites are never touched; an existing slug is refused unless ``replace``.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name, schema_context
from wagtail.models import Site as WagtailSite

from audit.log import record
from identity.models import Account, SiteRole
from review.chain import sync_site as sync_review_chain
from shared_library.models import Attachment, Genre, Resource, ResourceVersion, Syndication, TopicCategory
from shared_library.storage import library_storage
from tenants.backup.bundle import BackupError, BundleReader
from tenants.backup.files import delete_site_file, put_exact, site_files, write_site_file
from tenants.backup.records import from_record
from tenants.events import site_changed_on_commit
from tenants.lib.schema_dump import PLACEHOLDER
from tenants.lib.slugs import normalise_slug
from tenants.models import Domain, Site, SiteKind
from tenants.provisioning import SiteSpec, build_site, default_domain, format_errors

Progress = Callable[[str, int], Callable[[], None]]


def _no_progress(_stage: str, _total: int) -> Callable[[], None]:
    return lambda: None


@dataclass
class Restored:
    site: Site
    domains: list[str]
    files: int = 0
    resources_created: int = 0
    resources_linked: int = 0
    accounts_created: int = 0
    roles: int = 0
    notes: list[str] = field(default_factory=list)


def restore_site(
    path: Path, *, slug: str = "", domains: list[str] | None = None, parent: str = "", replace: bool = False,
    by=None, progress: Progress = _no_progress,
) -> Restored:  # fmt: skip
    connection.set_schema_to_public()
    reader = BundleReader(path)
    try:
        listed = reader.manifest.get("members") or {}
        tick = progress("校验备份", len(listed))
        reader.verify(lambda _name: tick())
        site_data = reader.read_json("site.json")
        try:
            slug = normalise_slug(slug or reader.manifest["site"]["slug"])
        except ValidationError as exc:
            raise BackupError(" ".join(exc.messages)) from exc
        existing = Site.objects.filter(slug=slug).first()
        if existing is not None:
            _check_replaceable(existing, replace)
        parent_slug = _choose_parent(site_data, parent)
        sql = gzip.decompress(reader.read("schema.sql.gz")).decode("utf-8")
        return _restore(reader, site_data, sql, slug, domains, parent_slug, existing, by, progress)
    finally:
        reader.close()


def _check_replaceable(existing: Site, replace: bool) -> None:
    if not replace:
        raise BackupError(
            _("站点代号“%s”已存在。恢复为新站点请用 --slug 指定新代号；确认要用备份覆盖该站点请加 --replace。")
            % existing.slug
        )
    if existing.kind == SiteKind.PLATFORM or existing.schema_name == get_public_schema_name():
        raise BackupError(_("平台站点不能被覆盖。"))
    if existing.closures.exists() or existing.absorbed_closures.exists():
        raise BackupError(_("站点“%s”有关停上移记录，不能被覆盖。") % existing.slug)


def _choose_parent(site_data: dict, given: str) -> str:
    """The parent named with ``--parent``, else the archived parent when this platform has it."""
    if given:
        given = given.strip().lower()
        if not Site.objects.filter(slug=given).exists():
            raise BackupError(_("上级站点“%s”不存在。") % given)
        return given
    archived = site_data.get("parent_slug") or ""
    if archived and Site.objects.filter(slug=archived).exists():
        return archived
    if site_data["site"]["kind"] == SiteKind.TOWNSHIP:
        raise BackupError(
            _("乡镇站点必须有上级站点，而上级站点“%s”在本平台不存在：请先恢复或创建它，或用 --parent 指定。")
            % (archived or "-")
        )
    return ""


def _choose_domains(site_data: dict, slug: str, given: list[str] | None, existing: Site | None) -> list[str]:
    if given:
        return given
    archived = [d["domain"] for d in site_data.get("domains", [])]
    others = Domain.objects.filter(domain__in=archived)
    if existing is not None:
        others = others.exclude(tenant=existing)
    if archived and slug == site_data["site"]["slug"] and not others.exists():
        return archived
    return [default_domain(slug)]


def _restore(reader, site_data, sql, slug, given_domains, parent_slug, existing, by, progress) -> Restored:
    archived = site_data["site"]
    written: list[str] = []
    library_written: list[str] = []
    schema_name = ""
    try:
        with transaction.atomic():
            wanted = _choose_domains(site_data, slug, given_domains, existing)
            keep = _detach(existing) if existing is not None else {}
            spec = SiteSpec(
                name=archived["name"], slug=slug, kind=archived["kind"], parent_slug=parent_slug,
                domain=wanted[0], aliases=wanted[1:], theme=archived.get("theme") or "default",
                site_code=archived.get("site_code") or "", icp_number=archived.get("icp_number") or "",
                police_number=archived.get("police_number") or "", organiser=archived.get("organiser") or "",
                operator=archived.get("operator") or "", contact=archived.get("contact") or "",
            )  # fmt: skip
            try:
                site, domains = build_site(spec)
            except ValidationError as exc:
                message = _("无法恢复为站点“%(slug)s”：%(why)s")
                raise BackupError(message % {"slug": slug, "why": format_errors(exc)}) from exc
            schema_name = site.schema_name
            site.review_by = archived.get("review_by") or site.review_by
            with connection.cursor() as cursor:
                cursor.execute(sql.replace(PLACEHOLDER, schema_name))
            site.save()
            for index, domain in enumerate(domains):
                Domain.objects.create(domain=domain, tenant=site, is_primary=index == 0)
            with schema_context(schema_name):
                WagtailSite.objects.filter(is_default_site=True).update(hostname=domains[0], port=80)
            connection.set_schema_to_public()
            for child_id in keep.get("children", []):
                Site.objects.filter(pk=child_id).update(parent=site)
            result = Restored(site=site, domains=domains)
            if parent_slug != (site_data.get("parent_slug") or ""):
                names = {"old": site_data.get("parent_slug") or "-", "new": parent_slug or "-"}
                result.notes.append(_("上级站点：备份中为“%(old)s”，恢复后为“%(new)s”。") % names)
            _restore_library(reader, site, archived, keep.get("resources", []), result, library_written, progress)
            _restore_people(reader, site, result)
            names = reader.names("media/")
            tick = progress("站点文件", len(names))
            for member in names:
                name = member.removeprefix("media/")
                write_site_file(schema_name, name, reader.read(member))
                written.append(name)
                tick()
            result.files = len(names)
            sync_review_chain(site, by=by)
            connection.set_schema_to_public()
            record(
                "site_restore", actor=by, site=site, obj=site, file=str(reader.path), replaced=existing is not None,
                restored_from=reader.manifest["site"]["slug"], domains=domains, files=result.files,
                resources_created=result.resources_created, resources_linked=result.resources_linked,
            )  # fmt: skip
            site_changed_on_commit(site.pk, "created")
    except BaseException:
        connection.set_schema_to_public()
        if existing is None:  # a replaced site's files of the same names were overwritten in place
            for name in written:
                delete_site_file(schema_name, name)
        for name in library_written:
            library_storage().delete(name)
        raise
    if existing is not None:  # the old site's files that the archive does not have
        for name in set(site_files(schema_name)) - set(written):
            delete_site_file(schema_name, name)
    return result


def _detach(existing: Site) -> dict:
    """Free the slug, schema and domains of the site being replaced, keeping what points at it."""
    resources = list(Resource.objects.filter(source_site=existing).values_list("pk", flat=True))
    children = list(Site.objects.filter(parent=existing).values_list("pk", flat=True))
    Resource.objects.filter(pk__in=resources).update(source_site=None)
    Site.objects.filter(pk__in=children).update(parent=None)
    Domain.objects.filter(tenant=existing).delete()
    existing.delete(force_drop=True)
    return {"resources": resources, "children": children}


def _restore_library(reader, site, archived, kept_ids, result, library_written, progress) -> None:
    data = reader.read_json("library.json")
    Resource.objects.filter(pk__in=kept_ids).update(source_site=site)
    topics = dict(TopicCategory.objects.values_list("code", "pk"))
    genres = dict(Genre.objects.values_list("code", "pk"))
    sources = dict(Site.objects.values_list("slug", "pk"))
    ids: dict[int, int] = {}
    created: set[int] = set()
    tick = progress("资源库", len(data["resources"]))
    for row in data["resources"]:
        match = Resource.objects.filter(index_number=row["index_number"]).first() if row["index_number"] else None
        if match is not None:
            ids[row["id"]] = match.pk
            result.resources_linked += 1
            tick()
            continue
        source = site.pk if row["source_slug"] == archived["slug"] else sources.get(row["source_slug"])
        keep_id = not Resource.objects.filter(pk=row["id"]).exists()
        resource = from_record(
            Resource, row, id=row["id"] if keep_id else None, source_site_id=source,
            topic_id=topics.get(row["topic_code"]), genre_id=genres.get(row["genre_code"]), interpretation_of_id=None,
        )  # fmt: skip
        resource.save(force_insert=True)
        Resource.objects.filter(pk=resource.pk).update(created_at=row["created_at"], updated_at=row["updated_at"])
        ids[row["id"]] = resource.pk
        created.add(resource.pk)
        result.resources_created += 1
        tick()
    for row in data["resources"]:
        target = ids.get(row.get("interpretation_of_id"))
        if ids[row["id"]] in created and target:
            Resource.objects.filter(pk=ids[row["id"]]).update(interpretation_of_id=target)
    _reset_sequences(Resource)
    storage = library_storage()
    for row in data["attachments"]:
        resource_id = ids.get(row["resource_id"])
        if resource_id not in created:
            continue
        content = reader.read(f"library/{row['file']}")
        if storage.exists(row["file"]):
            name = storage.save(row["file"], ContentFile(content))
        else:
            put_exact(storage, row["file"], content)
            name = row["file"]
        library_written.append(name)
        from_record(Attachment, row, id=None, resource_id=resource_id, file=name).save(force_insert=True)
    for row in data["versions"]:
        if ids.get(row["resource_id"]) in created:
            from_record(ResourceVersion, row, id=None, resource_id=ids[row["resource_id"]]).save(force_insert=True)
    for row in data["syndications"]:
        if row["resource_id"] in ids:
            from_record(Syndication, row, id=None, resource_id=ids[row["resource_id"]], site_id=site.pk).save(
                force_insert=True
            )


def _restore_people(reader, site, result) -> None:
    data = reader.read_json("people.json")
    accounts: dict[str, int] = {}
    for row in data["accounts"]:
        account = Account.objects.filter(username__iexact=row["username"]).first()
        if account is None:
            account = from_record(Account, row, id=None, is_operator=False)
            account.save(force_insert=True)
            result.accounts_created += 1
        accounts[row["username"]] = account.pk
    for row in data["roles"]:
        from_record(SiteRole, row, id=None, account_id=accounts[row["username"]], site_id=site.pk).save(
            force_insert=True
        )
        result.roles += 1


def _reset_sequences(model) -> None:
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [model]):
            cursor.execute(statement)
